package io.hubbletopology.processor.internal;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.processor.ProcessingCounters;

/**
 * Tells, and counts, the flows whose window has closed: its end plus the grace period lies at or before the
 * task's stream time. Counting them shows operators how many flows arrive too late (an agent that was cut
 * off, a clock off by minutes). Stream time is Kafka Streams' own for the task (kept across restarts) or later
 * flows seen here, so a window's figures never change once it has closed. One instance per task.
 */
final class LateFlowFilter {

    private static final Logger log = LoggerFactory.getLogger(LateFlowFilter.class);

    private final long sizeMs;
    private final long graceMs;
    private final ProcessingCounters counters;
    private long streamTimeMs = Long.MIN_VALUE;

    LateFlowFilter(Duration size, Duration grace, ProcessingCounters counters) {
        this.sizeMs = size.toMillis();
        this.graceMs = grace.toMillis();
        this.counters = counters;
    }

    /** True, and counted, when the flow of this edge at this time is too late for its window. */
    boolean isLate(String edge, long timeMs, long taskStreamTimeMs) {
        streamTimeMs = Math.max(Math.max(streamTimeMs, taskStreamTimeMs), timeMs);
        long windowStart = timeMs - Math.floorMod(timeMs, sizeMs);
        if (windowStart + sizeMs + graceMs > streamTimeMs) {
            return false;
        }
        if (counters.lateFlow() == 1) {
            log.warn("A flow arrived after its window closed and is not counted (edge {}, flow time {}, "
                    + "stream time {}); later ones are only counted", edge, timeMs, streamTimeMs);
        }
        return true;
    }
}
