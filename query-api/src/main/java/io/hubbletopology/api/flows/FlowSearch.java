package io.hubbletopology.api.flows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.google.protobuf.InvalidProtocolBufferException;

import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.errors.BusyException;
import io.hubbletopology.processor.errors.TopicUnavailableException;
import io.hubbletopology.records.FlowRecord;

/**
 * Answers flow queries from the flows topic itself, which holds every flow for its retention: it finds the
 * offsets of the time range with {@code offsetsForTimes}, reads the range partition by partition in chunks
 * (from the end for newest first, so a recent page reads little), filters on the way, and stops as soon as
 * no unread record could still belong to the page. A cursor holds per-partition offsets, so the next page
 * continues exactly where this one stopped. Any instance can answer: nothing here depends on Streams.
 *
 * <pre>{@code
 * FlowPage page = search.search(new FlowQuery(since, until, 100, true, FlowFilter.ALL, null));
 * }</pre>
 *
 * Flows are ordered by their time within what was read; a partition's records are assumed to be appended
 * roughly in time order (one agent's flows are), which is what lets a chunk's first record bound the rest.
 */
public final class FlowSearch implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final int PATIENCE_POLLS = 20;

    private final Map<String, Object> kafkaProperties;
    private final String topic;
    private final int chunk;
    private final FlowQueryBounds bounds;
    private final int readers;
    private final BlockingQueue<KafkaConsumer<String, byte[]>> consumers;

    /**
     * @param concurrency how many queries may read at once (each holds one consumer)
     * @param chunk       records read per partition per step
     */
    public FlowSearch(Map<String, Object> kafkaProperties, String topic, int concurrency, int chunk) {
        this(kafkaProperties, topic, concurrency, chunk, FlowQueryBounds.DEFAULT);
    }

    /**
     * @param concurrency how many queries may read at once (each holds one consumer)
     * @param chunk       records read per partition per step
     * @param bounds      the work one query may do, and how long it waits for a consumer
     */
    public FlowSearch(Map<String, Object> kafkaProperties, String topic, int concurrency, int chunk, FlowQueryBounds bounds) {
        this.bounds = bounds;
        this.kafkaProperties = new HashMap<>(kafkaProperties);
        this.kafkaProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.kafkaProperties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(500, chunk));
        this.kafkaProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        // A chunk whose start retention deleted meanwhile reads from what is left, not from the end.
        this.kafkaProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A read that ends at the log's end (every newest-first read does) leaves a prefetch there that the broker
        // holds for fetch.max.wait.ms (500 ms by default) waiting for new records; the next read, of another
        // partition, waits behind it. Only records known to exist are read here, so that wait buys nothing.
        this.kafkaProperties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.kafkaProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.topic = topic;
        this.chunk = chunk;
        this.readers = concurrency;
        this.consumers = new ArrayBlockingQueue<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            consumers.add(new KafkaConsumer<>(this.kafkaProperties, new StringDeserializer(), new ByteArrayDeserializer()));
        }
    }

    private record Hit(FlowRecord flow, int partition, long offset) {
        long time() {
            return flow.getTimeUnixNanos();
        }
    }

    /** @throws BusyException when no consumer came free within {@link FlowQueryBounds#poolWait()} */
    public FlowPage search(FlowQuery query) throws InterruptedException {
        KafkaConsumer<String, byte[]> consumer = consumers.poll(bounds.poolWait().toMillis(), TimeUnit.MILLISECONDS);
        if (consumer == null) {
            throw new BusyException("all " + readers + " flow readers are busy; try again shortly",
                    bounds.poolWait());
        }
        try {
            return search(consumer, query);
        } finally {
            consumers.add(consumer);
        }
    }

    private FlowPage search(KafkaConsumer<String, byte[]> consumer, FlowQuery query) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> lo = offsetsAt(consumer, partitions, query.since().toEpochMilli(), end);
        Map<TopicPartition, Long> hi = offsetsAt(consumer, partitions, query.until().toEpochMilli() + 1, end);
        Instant earliest = earliestComplete(consumer, partitions);
        if (query.cursor() != null) {
            FlowCursor cursor = FlowCursor.decode(query.cursor());
            if (cursor.newestFirst() != query.newestFirst()) {
                throw new BadParameterException("cursor", "the cursor belongs to the other order");
            }
            for (TopicPartition tp : partitions) {
                Long at = cursor.offsets().get(tp.partition());
                if (at != null) {
                    (query.newestFirst() ? hi : lo).put(tp, Math.max(lo.get(tp), Math.min(hi.get(tp), at)));
                }
            }
        }
        long sinceNanos = query.since().toEpochMilli() * 1_000_000L;
        long untilNanos = (query.until().toEpochMilli() + 1) * 1_000_000L;
        Comparator<Hit> order = query.newestFirst()
                ? Comparator.comparingLong(Hit::time).reversed().thenComparing(Hit::partition).thenComparing(Comparator.comparingLong(Hit::offset).reversed())
                : Comparator.comparingLong(Hit::time).thenComparing(Hit::partition).thenComparingLong(Hit::offset);
        List<Hit> hits = new ArrayList<>();
        Map<TopicPartition, Long> frontier = new HashMap<>();
        long scanned = 0;
        long deadline = System.nanoTime() + bounds.maxDuration().toNanos();
        FlowPage.Truncation truncation = null;
        while (truncation == null) {
            boolean remaining = false;
            long unfinished = partitions.stream().filter(tp -> lo.get(tp) < hi.get(tp)).count();
            for (TopicPartition tp : partitions) {
                long from = lo.get(tp);
                long to = hi.get(tp);
                if (from >= to) {
                    continue;
                }
                // Checked before each read, after at least one: every page moves the cursor on.
                truncation = scanned >= bounds.maxScanned() ? FlowPage.Truncation.MAX_SCANNED
                        : scanned > 0 && System.nanoTime() - deadline >= 0 ? FlowPage.Truncation.MAX_DURATION : truncation;
                if (truncation != null) {
                    break;
                }
                // The scan budget is shared out among the partitions still to read, so a cut query has read them all alike.
                long step = Math.min(chunk, Math.max(1, (bounds.maxScanned() - scanned) / unfinished));
                long start = query.newestFirst() ? Math.max(from, to - step) : from;
                long stop = query.newestFirst() ? to : Math.min(to, from + step);
                List<ConsumerRecord<String, byte[]>> records = read(consumer, tp, start, stop);
                scanned += records.size();
                for (ConsumerRecord<String, byte[]> r : records) {
                    FlowRecord flow = decode(r.value());
                    if (flow != null && flow.getTimeUnixNanos() >= sinceNanos && flow.getTimeUnixNanos() < untilNanos
                            && query.filter().test(flow)) {
                        hits.add(new Hit(flow, tp.partition(), r.offset()));
                    }
                }
                if (!records.isEmpty()) {
                    // The unread rest of this partition is older (newest first) or newer than this bound.
                    frontier.put(tp, (query.newestFirst() ? records.get(0) : records.get(records.size() - 1)).timestamp());
                }
                if (query.newestFirst()) {
                    hi.put(tp, start);
                } else {
                    lo.put(tp, stop);
                }
                remaining |= lo.get(tp) < hi.get(tp);
            }
            if (!remaining || settled(hits, partitions, lo, hi, frontier, query)) {
                break;
            }
        }
        hits.sort(order);
        List<Hit> page = hits.size() > query.limit() ? hits.subList(0, query.limit()) : hits;
        boolean more = hits.size() > query.limit() || partitions.stream().anyMatch(tp -> lo.get(tp) < hi.get(tp));
        List<Hit> left = hits.subList(page.size(), hits.size());
        String next = more ? nextCursor(left, partitions, query.newestFirst() ? hi : lo, query.newestFirst()) : null;
        return new FlowPage(page.stream().map(Hit::flow).toList(), next, scanned, earliest, more ? truncation : null);
    }

    /** True when the page is full with hits no unread record can come before. */
    private static boolean settled(List<Hit> hits, List<TopicPartition> partitions, Map<TopicPartition, Long> lo,
                                   Map<TopicPartition, Long> hi, Map<TopicPartition, Long> frontier, FlowQuery query) {
        if (hits.size() < query.limit()) {
            return false;
        }
        long boundMs = query.newestFirst() ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (TopicPartition tp : partitions) {
            if (lo.get(tp) < hi.get(tp)) {
                Long f = frontier.get(tp);
                if (f == null) {
                    return false;
                }
                boundMs = query.newestFirst() ? Math.max(boundMs, f) : Math.min(boundMs, f);
            }
        }
        long bound = boundMs * 1_000_000L;
        long settled = hits.stream().filter(h -> query.newestFirst() ? h.time() > bound + 999_999 : h.time() < bound).count();
        return settled >= query.limit();
    }

    /**
     * Per partition, where the next page starts: at the first hit read but left out of this page (by the limit),
     * or else where reading stopped. Either way nothing returned is read again and nothing unreturned is passed.
     */
    private static String nextCursor(List<Hit> leftOut, List<TopicPartition> partitions, Map<TopicPartition, Long> readTo,
                                     boolean newestFirst) {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            offsets.put(tp.partition(), readTo.get(tp));
        }
        Map<Integer, Long> firstLeftOut = new HashMap<>();
        for (Hit h : leftOut) {
            long resume = newestFirst ? h.offset() + 1 : h.offset();
            firstLeftOut.merge(h.partition(), resume, newestFirst ? Math::max : Math::min);
        }
        offsets.putAll(firstLeftOut);
        return new FlowCursor(newestFirst, offsets).encode();
    }

    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                                                       long timestampMs, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, timestampMs));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(10));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            out.put(tp, at == null ? end.get(tp) : at.offset());
        }
        return out;
    }

    /** The time from which every partition still holds its flows: the latest of the partitions' oldest records. */
    private static Instant earliestComplete(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, 0L));
        long latestOldest = Long.MIN_VALUE;
        for (OffsetAndTimestamp at : consumer.offsetsForTimes(query, Duration.ofSeconds(10)).values()) {
            if (at != null) {
                latestOldest = Math.max(latestOldest, at.timestamp());
            }
        }
        return latestOldest == Long.MIN_VALUE ? null : Instant.ofEpochMilli(latestOldest);
    }

    private static List<ConsumerRecord<String, byte[]>> read(KafkaConsumer<String, byte[]> consumer, TopicPartition tp,
                                                             long start, long stop) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>((int) Math.min(stop - start, 100_000));
        int emptyPolls = 0;
        while (consumer.position(tp) < stop) {
            var records = consumer.poll(POLL).records(tp);
            if (records.isEmpty() && ++emptyPolls == PATIENCE_POLLS) {
                // Records known to exist did not come: answering without them would be silently wrong.
                throw new TopicUnavailableException(tp + " returned nothing at offset " + consumer.position(tp) + " of " + stop
                        + " for " + PATIENCE_POLLS * POLL.toMillis() / 1000 + " s");
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                if (r.offset() >= stop) {
                    return out;
                }
                out.add(r);
            }
        }
        return out;
    }

    private static FlowRecord decode(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return FlowRecord.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            // Not a flow record (the processor routes such records to its dead-letter topic): skip it here.
            return null;
        }
    }

    /**
     * A cursor for a newest-first query that reads only below these per-partition offsets (exclusive): a caller
     * that will follow the topic live from exactly these offsets gets history and live with no gap and no overlap.
     */
    public static String newestBelow(Map<Integer, Long> offsets) {
        return new FlowCursor(true, offsets).encode();
    }

    /** Takes every reader until closed, as that many long queries would: for tests of a busy pool. */
    AutoCloseable holdAllReaders() throws InterruptedException {
        List<KafkaConsumer<String, byte[]>> held = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            held.add(consumers.take());
        }
        return () -> consumers.addAll(held);
    }

    @Override
    public void close() {
        KafkaConsumer<String, byte[]> c;
        while ((c = consumers.poll()) != null) {
            c.close(Duration.ofSeconds(2));
        }
    }
}
