package io.hubbletopology.deploy.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.deploy.SimulatedFlows;

/**
 * The broker dies (SIGKILL) in the middle of a stream of flows and comes back on the same port and data
 * directory: the ingest holds and retries what it could not send, the exactly-once processor aborts what it
 * had not committed, and the topology ends up with every flow Hubble sent, counted once.
 */
class BrokerCrashIT {

    private static final SimulatedFlows FLOWS = new SimulatedFlows(21, 5_000);

    @Test
    @Timeout(240)
    void countsEqualWhatHubbleSentAfterTheBrokerIsKilledAndRestartedMidStream(@TempDir Path dir) throws Exception {
        try (PipelineRun run = PipelineRun.start("broker-crash", dir, FLOWS, 400)) {
            // Start the stream once the processor runs, so the kill lands in the middle of processing.
            run.awaitFollowedAndReady();
            run.hubble().resume();

            run.killBrokerAfter(FLOWS.count() / 3);
            Thread.sleep(3_000);
            run.restartBroker();

            run.assertExactCounts(Duration.ofSeconds(150));
            assertThat(run.processor().alive()).as("the processor outlives the broker's crash").isTrue();
            assertThat(run.ingest().alive()).as("the ingest outlives the broker's crash").isTrue();
        }
    }
}
