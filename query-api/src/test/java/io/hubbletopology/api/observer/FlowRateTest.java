package io.hubbletopology.api.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class FlowRateTest {

    private static final Instant NOW = Instant.parse("2026-12-02T03:00:00.500Z");

    @Test
    void countsTheFlowsOfTheSixtyWholeSecondsBeforeNowPerSecond() {
        FlowRate rate = new FlowRate();
        for (int s = 1; s <= 60; s++) {
            for (int i = 0; i < 3; i++) {
                rate.count(NOW.minusSeconds(s).plusMillis(i));
            }
        }
        assertThat(rate.perSecond(NOW)).isEqualTo(3.0);
    }

    @Test
    void leavesOutFlowsOlderThanTheMinuteAndThoseOfTheCurrentSecond() {
        FlowRate rate = new FlowRate();
        rate.count(NOW.minusSeconds(61));
        rate.count(NOW.minusSeconds(600));
        rate.count(NOW);
        assertThat(rate.perSecond(NOW)).isZero();
        // The current second counts once it is over.
        assertThat(rate.perSecond(NOW.plusSeconds(1))).isEqualTo(1 / 60.0);
        // And leaves the span a minute later.
        assertThat(rate.perSecond(NOW.plusSeconds(61))).isZero();
    }

    @Test
    void aNewerSecondTakesItsBucketOverAndAnOlderFlowForItIsNotCounted() {
        FlowRate rate = new FlowRate();
        rate.count(NOW.minusSeconds(70));
        rate.count(NOW.minusSeconds(10));   // the same bucket, 60 s later
        rate.count(NOW.minusSeconds(70));   // late, beyond the span the bucket now holds
        assertThat(rate.perSecond(NOW)).isEqualTo(1 / 60.0);
    }
}
