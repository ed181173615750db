package io.hubbletopology.sink.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingWindowsTest {

    private static final TopicPartition P0 = new TopicPartition("edges", 0);
    private static final TopicPartition P1 = new TopicPartition("edges", 1);

    private final PendingWindows pending = new PendingWindows(Duration.ofSeconds(30), 1_000);

    @Test
    void keepsOnlyTheLatestRecordOfAWindowAndSaysWhichOneItReplaced() {
        assertThat(pending.put("e@0", 0, 60_000, held(P0, 1))).isEmpty();
        assertThat(pending.put("e@0", 0, 60_000, held(P0, 5))).contains(held(P0, 1));
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void aWindowIsFinalOnceANewerWindowStartOnItsPartitionIsPastItsEndPlusGrace() {
        pending.put("e@0", 0, 60_000, held(P0, 1));
        pending.put("f@60000", 60_000, 120_000, held(P0, 2));
        assertThat(pending.takeFinal(0, tp -> false)).isEmpty();
        pending.put("g@120000", 120_000, 180_000, held(P0, 3));
        assertThat(pending.takeFinal(0, tp -> false)).containsExactly(held(P0, 1));
    }

    @Test
    void theWallClockClosesWindowsOnlyOnPartitionsReadToTheEnd() {
        pending.put("e@0", 0, 60_000, held(P0, 1));
        pending.put("f@0", 0, 60_000, held(P1, 1));
        List<HeldRecord> finals = pending.takeFinal(100_000, tp -> tp.equals(P1));
        assertThat(finals).containsExactly(held(P1, 1));
        assertThat(pending.takeFinal(89_000, tp -> true)).isEmpty();
        assertThat(pending.takeFinal(90_001, tp -> true)).containsExactly(held(P0, 1));
    }

    @Test
    void atTheBoundTheEarliestWindowIsHandedOutEarlyAndCounted() {
        PendingWindows small = new PendingWindows(Duration.ofSeconds(30), 2);
        small.put("a@0", 0, 60_000, held(P0, 1));
        small.put("b@60000", 60_000, 120_000, held(P0, 2));
        small.put("c@60000", 60_000, 120_000, held(P0, 3));
        assertThat(small.takeFinal(0, tp -> false)).containsExactly(held(P0, 1));
        assertThat(small.forced()).isEqualTo(1);
        assertThat(small.size()).isEqualTo(2);
    }

    private static HeldRecord held(TopicPartition partition, long offset) {
        return new HeldRecord(partition, offset, List.of());
    }
}
