package io.hubbletopology.processor.internal;

import java.time.Duration;

import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.processor.ProcessingCounters;
import io.hubbletopology.records.FlowRecord;

/**
 * Drops and counts the flows whose window has closed: its end plus the grace period lies at or before the
 * task's stream time. The window aggregation would drop them too, but silently; counting them here shows
 * operators how many flows arrive too late (an agent that was cut off, a clock off by minutes).
 * Stream time is Kafka Streams' own for the task (kept across restarts) or later flows seen here, so this
 * filter is never more lenient than the aggregation behind it.
 */
final class LateFlowFilter extends ContextualFixedKeyProcessor<String, FlowRecord, FlowRecord> {

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

    @Override
    public void process(FixedKeyRecord<String, FlowRecord> record) {
        long time = record.timestamp();
        streamTimeMs = Math.max(Math.max(streamTimeMs, context().currentStreamTimeMs()), time);
        long windowStart = time - Math.floorMod(time, sizeMs);
        if (windowStart + sizeMs + graceMs <= streamTimeMs) {
            if (counters.lateFlow() == 1) {
                log.warn("A flow arrived after its window closed and is not counted (edge {}, flow time {}, "
                        + "stream time {}); later ones are only counted", record.key(), time, streamTimeMs);
            }
            return;
        }
        context().forward(record);
    }
}
