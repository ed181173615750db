package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.output.LinkState;

class LivePublisherTest {

    @Test
    void aStateKafkaCannotTakeIsRefusedAtOnceInsteadOfBlockingTheStreamThread() {
        // Nothing listens on port 1: no metadata ever comes.
        try (LivePublisher publisher = new LivePublisher(Map.of("bootstrap.servers", "127.0.0.1:1"), "live")) {
            Instant now = Instant.now();
            long started = System.nanoTime();
            boolean taken = publisher.link("node-a/eth0", new LinkState(LinkState.SCHEMA, "node-a", "eth0", "up", null, null,
                    null, "", null, null, null, null, now, now, false));
            assertThat(taken).isFalse();
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms waited").isLessThan(5_000);
            assertThat(publisher.failed()).isEqualTo(1);
        }
    }
}
