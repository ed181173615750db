package io.hubbletopology.api.observer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.hubbletopology.processor.errors.TopicUnavailableException;
import io.hubbletopology.api.flows.FlowPage;
import io.hubbletopology.api.flows.FlowQueryBounds;
import io.hubbletopology.api.flows.FlowSearch;

/**
 * One GetFlows call's own reader of the flows topic. It notes every partition's end when the call begins:
 * history is what lies below those offsets, live is what comes from them on, so following needs no seam by
 * time and can neither miss nor repeat a flow. History is merged across partitions by record time, holding
 * at most a poll's worth of records per partition (a partition with records waiting is paused); a caller that
 * blocks in its visitor (a slow client) stops the reading with it.
 */
final class CallReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final int PATIENCE_POLLS = 50;

    /** Told each record in order; returns false to stop reading. */
    interface Visitor {
        boolean accept(ConsumerRecord<String, byte[]> record);
    }

    /** How a history read ended: read to its end, stopped by the visitor, or cut by a bound. */
    enum Outcome { DONE, STOPPED, MAX_SCANNED, MAX_DURATION }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<TopicPartition, Long> endAtStart;
    private long scanned;
    private long readingNanos;

    CallReader(Map<String, Object> kafkaProperties, String topic) {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        endAtStart = consumer.endOffsets(partitions, Duration.ofSeconds(10));
    }

    /** Each partition's end when the call began, by partition number: where live reading starts. */
    Map<Integer, Long> endAtStart() {
        Map<Integer, Long> out = new HashMap<>();
        endAtStart.forEach((tp, offset) -> out.put(tp.partition(), offset));
        return out;
    }

    Map<TopicPartition, Long> end() {
        return new HashMap<>(endAtStart);
    }

    Map<TopicPartition, Long> beginning() {
        return new HashMap<>(consumer.beginningOffsets(partitions, Duration.ofSeconds(10)));
    }

    /** Per partition, the first offset at or after this time, capped at the end noted at start. */
    Map<TopicPartition, Long> at(Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, Math.max(0, time.toEpochMilli())));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp f = found.get(tp);
            out.put(tp, f == null ? endAtStart.get(tp) : Math.min(f.offset(), endAtStart.get(tp)));
        }
        return out;
    }

    long scanned() {
        return scanned;
    }

    /** Records between {@code from} (inclusive) and {@code to} (exclusive), oldest first across partitions. */
    Outcome history(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, FlowQueryBounds bounds, Visitor visitor) {
        Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> queued = new HashMap<>();
        List<TopicPartition> open = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (from.get(tp) < to.get(tp)) {
                open.add(tp);
                queued.put(tp, new ArrayDeque<>());
            }
        }
        // Every partition stays assigned (the finished ones paused), so the consumer's own offset lookups still apply.
        consumer.assign(partitions);
        consumer.pause(partitions);
        open.forEach(tp -> consumer.seek(tp, from.get(tp)));
        Comparator<ConsumerRecord<String, byte[]>> order = Comparator.<ConsumerRecord<String, byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset);
        int emptyPolls = 0;
        while (true) {
            List<TopicPartition> needy = new ArrayList<>();
            for (TopicPartition tp : open) {
                if (queued.get(tp).isEmpty() && consumer.position(tp) < to.get(tp)) {
                    needy.add(tp);
                }
            }
            if (!needy.isEmpty()) {
                if (scanned >= bounds.maxScanned()) {
                    return Outcome.MAX_SCANNED;
                }
                if (scanned > 0 && readingNanos >= bounds.maxDuration().toNanos()) {
                    return Outcome.MAX_DURATION;
                }
                consumer.pause(partitions.stream().filter(tp -> !needy.contains(tp)).toList());
                consumer.resume(needy);
                long began = System.nanoTime();
                var records = consumer.poll(POLL);
                readingNanos += System.nanoTime() - began;
                if (records.isEmpty() && ++emptyPolls == PATIENCE_POLLS) {
                    throw new TopicUnavailableException(needy + " returned nothing for "
                            + PATIENCE_POLLS * POLL.toMillis() / 1000 + " s though it holds records");
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < to.get(tp)) {
                        queued.get(tp).add(r);
                    }
                }
                if (!records.isEmpty()) {
                    emptyPolls = 0;
                }
                continue;
            }
            ConsumerRecord<String, byte[]> next = null;
            for (TopicPartition tp : open) {
                ConsumerRecord<String, byte[]> head = queued.get(tp).peek();
                if (head != null && (next == null || order.compare(head, next) < 0)) {
                    next = head;
                }
            }
            if (next == null) {
                return Outcome.DONE;
            }
            // Counted as read when looked at, not when fetched: a poll brings up to 500, the bound may be fewer.
            if (scanned >= bounds.maxScanned()) {
                return Outcome.MAX_SCANNED;
            }
            scanned++;
            queued.get(new TopicPartition(next.topic(), next.partition())).poll();
            if (!visitor.accept(next)) {
                return Outcome.STOPPED;
            }
        }
    }

    /** Everything from {@code from} on as it arrives, each poll's records in time order, until stopped or cancelled. */
    void live(Map<TopicPartition, Long> from, BooleanSupplier cancelled, Visitor visitor) {
        consumer.assign(partitions);
        consumer.resume(partitions);
        partitions.forEach(tp -> consumer.seek(tp, from.get(tp)));
        Comparator<ConsumerRecord<String, byte[]>> order = Comparator.comparingLong(ConsumerRecord::timestamp);
        while (!cancelled.getAsBoolean()) {
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
            consumer.poll(POLL).forEach(batch::add);
            batch.sort(order);
            for (ConsumerRecord<String, byte[]> r : batch) {
                if (!visitor.accept(r)) {
                    return;
                }
            }
        }
    }

    /** The truncation a history outcome stands for, as the REST search names it; null when none. */
    static FlowPage.Truncation truncation(Outcome outcome) {
        return switch (outcome) {
            case MAX_SCANNED -> FlowPage.Truncation.MAX_SCANNED;
            case MAX_DURATION -> FlowPage.Truncation.MAX_DURATION;
            default -> null;
        };
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
