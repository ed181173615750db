package io.hubbletopology.api.observer;

import java.time.Instant;

/**
 * ServerStatus' {@code flows_rate}, as Hubble gives it: flows per second over the last minute, here by the flows'
 * own times (not when they were read), in one-second buckets: the flows whose time falls in the 60 whole seconds
 * before the current one, divided by 60. A flow older than that is not counted; one with a future time counts once
 * its second is within the minute. Memory is the 60 buckets, whatever the rate. Thread-safe: the census counts,
 * ServerStatus reads.
 *
 * <pre>{@code
 * FlowRate rate = new FlowRate();
 * rate.count(flowTime);                    // for every flow read
 * double perSecond = rate.perSecond(now);  // flows/s over [now - 60 s, now), by whole seconds
 * }</pre>
 */
final class FlowRate {

    /** The span the rate is taken over, in seconds. */
    static final int SPAN_SECONDS = 60;

    private final long[] second = new long[SPAN_SECONDS];
    private final long[] flows = new long[SPAN_SECONDS];

    synchronized void count(Instant flowTime) {
        long s = flowTime.getEpochSecond();
        int i = (int) Math.floorMod(s, (long) SPAN_SECONDS);
        if (second[i] == s) {
            flows[i]++;
        } else if (second[i] < s) {
            // A newer second takes the bucket over; a flow older than the bucket's second is beyond the span.
            second[i] = s;
            flows[i] = 1;
        }
    }

    /** Flows per second over the {@value #SPAN_SECONDS} whole seconds before {@code now}'s second. */
    synchronized double perSecond(Instant now) {
        long current = now.getEpochSecond();
        long total = 0;
        for (int i = 0; i < SPAN_SECONDS; i++) {
            if (second[i] < current && second[i] >= current - SPAN_SECONDS) {
                total += flows[i];
            }
        }
        return total / (double) SPAN_SECONDS;
    }
}
