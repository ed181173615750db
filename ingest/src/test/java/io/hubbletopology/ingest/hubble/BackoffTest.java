package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithJitterUpToTheCapAndStaysThere() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), new Random(1)::nextDouble);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            delays.add(backoff.next().toMillis());
        }
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(100L, 30_000L));
        assertThat(delays.get(0)).isBetween(100L, 200L);
        assertThat(delays.get(3)).isBetween(800L, 1_600L);
        assertThat(delays.subList(10, 20)).allSatisfy(d -> assertThat(d).isBetween(15_000L, 30_000L));
        assertThat(delays.subList(10, 20)).as("jitter: not all the same").doesNotHaveDuplicates();
    }

    @Test
    void startsOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), () -> 1.0);
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    }
}
