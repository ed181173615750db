package io.hubbletopology.processor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.errors.StoreUnavailableException;
import io.hubbletopology.processor.internal.EdgeFigures;
import io.hubbletopology.processor.internal.StoreValues;
import io.hubbletopology.processor.internal.TopologyStreams;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;
import io.hubbletopology.processor.query.ClusterAnswers;
import io.hubbletopology.processor.query.Partitioned;

/**
 * Questions about the topology, answered from this instance's state stores with interactive queries v2: the
 * local half of {@link TopologyQueryService}, which the query API asks instead. Two kinds of method:
 * <ul>
 *   <li><b>Local answers</b> ({@link #topologyByPartition}, {@link #edgeSeries}, {@link #linksByPartition},
 *       {@link #workloadsByPartition}) read this instance's partitions and say per partition what it holds
 *       ({@link Partitioned}). By default ({@link Scope#ACTIVE}) only the partitions it is active for, so the
 *       answers of all instances are disjoint; a merge is whole when every one of {@link #partitions} answered.</li>
 *   <li><b>Where things are</b> ({@link #instances}, {@link #partitions}, {@link #partitionOf},
 *       {@link #localPartitions}): which instances host a store and which partitions each holds active or
 *       standby, from Kafka Streams' metadata ({@code application.server} of every instance), how many
 *       partitions there are, and which one holds a key. The fan-out is {@link ClusterAnswers}'.</li>
 * </ul>
 *
 * <pre>{@code
 * TopologyQueries q = processor.queries();
 * List<EdgeStats> edges = q.topology(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
 * for (TopologyQueries.StoreInstance other : q.instances(TopologyQueries.Store.EDGES)) {
 *     if (!other.local()) { ... ask other.address() for its active partitions' answer ... }
 * }
 * }</pre>
 *
 * Every method throws {@link StoreUnavailableException} when a store cannot answer right now (starting,
 * rebalancing, restoring).
 */
public final class TopologyQueries {

    /** The queryable stores, by what they hold. */
    public enum Store {
        /** Edge figures per window; key: the edge key. */
        EDGES(TopologyStreams.EDGES_STORE),
        /** The latest state per interface; key: {@code <node>/<interface>}. */
        LINKS(TopologyStreams.LINKS_STORE),
        /** The workload inventory; key: the workload's node id. */
        WORKLOADS(TopologyStreams.WORKLOADS_STORE);

        private final String storeName;

        Store(String storeName) {
            this.storeName = storeName;
        }

        public String storeName() {
            return storeName;
        }
    }

    /**
     * Which of this instance's partitions a local answer covers.
     *
     * @param partitions   the partitions to read; null for every local one
     * @param allowStandby whether standby (possibly slightly stale) copies may answer
     */
    public record Scope(Set<Integer> partitions, boolean allowStandby) {

        /** Every partition this instance is active for: what to merge across instances. */
        public static final Scope ACTIVE = new Scope(null, false);

        public Scope {
            partitions = partitions == null ? null : Set.copyOf(partitions);
        }

        /** Given partitions, e.g. those of an instance that is down, read from this one's standbys. */
        public static Scope of(Set<Integer> partitions, boolean allowStandby) {
            return new Scope(partitions, allowStandby);
        }
    }

    /**
     * One instance hosting a store.
     *
     * @param address           its {@code application.server} (host and API port, {@code host:port}); null when
     *                          it advertises none
     * @param local             whether it is this instance
     * @param activePartitions  the store's partitions it is active for
     * @param standbyPartitions the store's partitions it keeps standby copies of
     */
    public record StoreInstance(String address, boolean local, Set<Integer> activePartitions, Set<Integer> standbyPartitions) {
    }

    private final TopologyProcessor processor;
    private final PartitionCounts partitionCounts;

    TopologyQueries(TopologyProcessor processor, PartitionCounts partitionCounts) {
        this.processor = processor;
        this.partitionCounts = partitionCounts;
    }

    private KafkaStreams streams() {
        KafkaStreams streams = processor.streams();
        if (streams == null) {
            throw new StoreUnavailableException("*", "the processor has not started");
        }
        return streams;
    }

    private ProcessorConfig config() {
        return processor.config();
    }

    // ---- the windows

    /** Beyond the grace, how late by the clock a flow may still reach its window: the pipeline's own delay. */
    static final Duration SETTLE_MARGIN = Duration.ofSeconds(10);

    /**
     * The start of the oldest window that a flow can still change at {@code now}: a window closes once stream time
     * passes its end plus the grace, and stream time trails the clock by the pipeline's delay (the commit interval
     * and {@link #SETTLE_MARGIN}). Windows that start before it are settled: their figures no longer change unless
     * the pipeline runs further behind than that.
     */
    public Instant openFrom(Instant now) {
        long size = config().windowSize().toMillis();
        long latest = now.minus(config().windowGrace()).minus(config().commitInterval()).minus(SETTLE_MARGIN).toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(latest, size) * size);
    }

    /** The tumbling window of edge figures. */
    public Duration windowSize() {
        return config().windowSize();
    }

    // ---- local answers

    /** Each edge's figures summed over the windows that overlap {@code [from, to]}, from this instance's active partitions. */
    public List<EdgeStats> topology(Instant from, Instant to) {
        return topology(from, to, Scope.ACTIVE);
    }

    /** Each edge's figures summed over the windows that overlap {@code [from, to]}, in the given scope. */
    public List<EdgeStats> topology(Instant from, Instant to, Scope scope) {
        return topologyByPartition(from, to, scope).all();
    }

    /**
     * Each edge's figures summed over the windows that overlap {@code [from, to]}, per partition of the scope
     * (an edge lives in one partition: its key's).
     */
    public Partitioned<EdgeStats> topologyByPartition(Instant from, Instant to, Scope scope) {
        Partitioned<EdgeUpdate> windows = edgeWindowsByPartition(from, to, scope);
        Map<Integer, List<EdgeStats>> out = new LinkedHashMap<>();
        windows.items().forEach((partition, updates) -> {
            // By the key itself, not its text: at 10,000 edges a live snapshot merges some 30,000 windows.
            Map<EdgeKey, EdgeStats> edges = new LinkedHashMap<>();
            for (EdgeUpdate w : updates) {
                edges.merge(w.stats().key(), w.stats(), EdgeStats::merge);
            }
            out.put(partition, new ArrayList<>(edges.values()));
        });
        return new Partitioned<>(out, windows.failures());
    }

    /** Every edge's figures per window, for the windows that overlap {@code [from, to]}, in the given scope. */
    public List<EdgeUpdate> edgeWindows(Instant from, Instant to, Scope scope) {
        return edgeWindowsByPartition(from, to, scope).all();
    }

    private Partitioned<EdgeUpdate> edgeWindowsByPartition(Instant from, Instant to, Scope scope) {
        Query<KeyValueIterator<Windowed<String>, ValueAndTimestamp<Object>>> query =
                WindowRangeQuery.withWindowStartRange(firstOverlappingStart(from), to);
        Partitioned<KeyValueIterator<Windowed<String>, ValueAndTimestamp<Object>>> results = run(Store.EDGES, query, scope, false);
        Map<Integer, List<EdgeUpdate>> out = new LinkedHashMap<>();
        results.items().forEach((partition, iterators) -> {
            List<EdgeUpdate> windows = new ArrayList<>();
            for (KeyValueIterator<Windowed<String>, ValueAndTimestamp<Object>> it : iterators) {
                try (it) {
                    while (it.hasNext()) {
                        KeyValue<Windowed<String>, ValueAndTimestamp<Object>> kv = it.next();
                        windows.add(EdgeUpdate.of(kv.key.window().startTime(), kv.key.window().endTime(),
                                EdgeFigures.stats(kv.value.value())));
                    }
                }
            }
            out.put(partition, windows);
        });
        return new Partitioned<>(out, results.failures());
    }

    /**
     * One edge's figures per window (its time series), for the windows that overlap {@code [from, to]}, oldest
     * first, from this instance's copy (active, else standby) of the edge's partition ({@link #partitionOf}); the
     * answer holds no partition when this instance has no copy of it.
     *
     * @param edgeKey the edge key ({@link EdgeStats#edgeKey()}: {@code <src> -> <dst> <protocol>/<port>})
     */
    public Partitioned<EdgeUpdate> edgeSeries(String edgeKey, Instant from, Instant to) {
        return edgeSeries(edgeKey, partitionOf(Store.EDGES, edgeKey), from, to);
    }

    /** As {@link #edgeSeries(String, Instant, Instant)}, for a caller that knows the key's partition already. */
    public Partitioned<EdgeUpdate> edgeSeries(String edgeKey, int partition, Instant from, Instant to) {
        Duration size = config().windowSize();
        Query<WindowStoreIterator<ValueAndTimestamp<Object>>> query =
                WindowKeyQuery.withKeyAndWindowStartRange(edgeKey, firstOverlappingStart(from), to);
        Partitioned<WindowStoreIterator<ValueAndTimestamp<Object>>> results =
                run(Store.EDGES, query, Scope.of(Set.of(partition), true), true);
        Map<Integer, List<EdgeUpdate>> out = new LinkedHashMap<>();
        results.items().forEach((p, iterators) -> {
            List<EdgeUpdate> series = new ArrayList<>();
            for (WindowStoreIterator<ValueAndTimestamp<Object>> it : iterators) {
                try (it) {
                    while (it.hasNext()) {
                        KeyValue<Long, ValueAndTimestamp<Object>> kv = it.next();
                        Instant start = Instant.ofEpochMilli(kv.key);
                        series.add(EdgeUpdate.of(start, start.plus(size), EdgeFigures.stats(kv.value.value())));
                    }
                }
            }
            series.sort((a, b) -> a.windowStart().compareTo(b.windowStart()));
            out.put(p, series);
        });
        return new Partitioned<>(out, results.failures());
    }

    /** The latest state of every interface of this instance's active partitions. */
    public List<LinkState> links() {
        return linksByPartition(Scope.ACTIVE).all();
    }

    public Partitioned<LinkState> linksByPartition(Scope scope) {
        return values(Store.LINKS, scope, StoreValues::link);
    }

    /** The workload inventory of this instance's active partitions. */
    public List<Workload> workloads() {
        return workloadsByPartition(Scope.ACTIVE).all();
    }

    public Partitioned<Workload> workloadsByPartition(Scope scope) {
        return values(Store.WORKLOADS, scope, StoreValues::workload);
    }

    /** Flows this instance left out of every figure because they came after their window's grace period. */
    public long lateFlows() {
        return processor.counters().lateFlows();
    }

    /**
     * Records Kafka Streams dropped on this instance (Streams' {@code dropped-records-total} task metric): the
     * records sent to the dead-letter topic because they could not be decoded or used.
     */
    public long droppedRecords() {
        double sum = 0;
        for (var entry : streams().metrics().entrySet()) {
            if (entry.getKey().name().equals("dropped-records-total") && entry.getKey().group().equals("stream-task-metrics")) {
                sum += ((Number) entry.getValue().metricValue()).doubleValue();
            }
        }
        return (long) sum;
    }

    // ---- where things are

    /** This instance's {@code application.server}: where the other instances reach it, when it has one. */
    public Optional<String> self() {
        String server = config().applicationServer();
        return server == null ? Optional.empty() : Optional.of(address(HostInfo.buildFromEndpoint(server)));
    }

    /** {@code host:port}, an IPv6 host in brackets: what a URL can hold; null for an instance that advertises none. */
    private static String address(HostInfo host) {
        if (host.port() < 0) {
            return null;
        }
        return (host.host().contains(":") ? "[" + host.host() + "]" : host.host()) + ":" + host.port();
    }

    /**
     * How many partitions the store has: the partitions of its source topic. A merged answer is whole only when
     * every one of them answered.
     */
    public int partitions(Store store) {
        return partitionCounts.of(sourceTopic(store));
    }

    /** The store partition a key lives in: the producers' default partitioner over the key's UTF-8 bytes. */
    public int partitionOf(Store store, String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions(store);
    }

    /**
     * Every instance that hosts the store (needs {@code application.server} on each), with the store's
     * partitions it holds active and standby. Empty while Kafka Streams has no assignment yet.
     */
    public List<StoreInstance> instances(Store store) {
        String topic = sourceTopic(store);
        Optional<String> self = self();
        List<StoreInstance> out = new ArrayList<>();
        for (StreamsMetadata m : streams().streamsMetadataForStore(store.storeName())) {
            String address = address(m.hostInfo());
            out.add(new StoreInstance(address, self.isPresent() && self.get().equals(address),
                    partitionsOf(m.topicPartitions(), topic), partitionsOf(m.standbyTopicPartitions(), topic)));
        }
        return out;
    }

    /** The store's partitions this instance holds, active and standby; works without {@code application.server}. */
    public StoreInstance localPartitions(Store store) {
        String topic = sourceTopic(store);
        Set<TopicPartition> active = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        Set<TopicPartition> standby = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        for (ThreadMetadata thread : streams().metadataForLocalThreads()) {
            thread.activeTasks().stream().map(TaskMetadata::topicPartitions).forEach(active::addAll);
            thread.standbyTasks().stream().map(TaskMetadata::topicPartitions).forEach(standby::addAll);
        }
        return new StoreInstance(self().orElse(null), true, partitionsOf(active, topic),
                partitionsOf(standby, topic));
    }

    /** Throws when the stores cannot answer at all: Kafka Streams is not RUNNING (starting, rebalancing). */
    public void requireReady() {
        if (!processor.running()) {
            throw new StoreUnavailableException("*", "Kafka Streams is " + processor.state());
        }
    }

    // ---- plumbing

    private Instant firstOverlappingStart(Instant from) {
        // A window starting up to one size before `from` still covers part of the range.
        return from.minus(config().windowSize()).plusMillis(1);
    }

    private String sourceTopic(Store store) {
        return switch (store) {
            case EDGES -> config().topics().flows();
            case LINKS -> config().topics().links();
            case WORKLOADS -> config().applicationId() + "-" + TopologyStreams.WORKLOAD_SIGHTINGS + "-repartition";
        };
    }

    private static Set<Integer> partitionsOf(Collection<TopicPartition> partitions, String topic) {
        Set<Integer> out = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(topic)) {
                out.add(tp.partition());
            }
        }
        return out;
    }

    private <T> Partitioned<T> values(Store store, Scope scope, Function<Object, T> decode) {
        Query<KeyValueIterator<String, Object>> query = RangeQuery.withNoBounds();
        Partitioned<KeyValueIterator<String, Object>> results = run(store, query, scope, false);
        Map<Integer, List<T>> out = new LinkedHashMap<>();
        results.items().forEach((partition, iterators) -> {
            List<T> values = new ArrayList<>();
            for (KeyValueIterator<String, Object> it : iterators) {
                try (it) {
                    it.forEachRemaining(kv -> values.add(decode.apply(kv.value)));
                }
            }
            out.put(partition, values);
        });
        return new Partitioned<>(out, results.failures());
    }

    /**
     * Runs a query on the scope's partitions; per partition that answered, its result (a list of one). A
     * partition that cannot answer (rebalancing, restoring) is a failure with its reason, not an error of the
     * whole query; only a store that cannot be asked at all is.
     */
    private <R> Partitioned<R> run(Store store, Query<R> query, Scope scope, boolean skipAbsent) {
        StateQueryRequest<R> request = StateQueryRequest.inStore(store.storeName()).withQuery(query);
        request = scope.partitions() == null ? request.withAllPartitions() : request.withPartitions(scope.partitions());
        if (!scope.allowStandby()) {
            request = request.requireActive();
        }
        StateQueryResult<R> result;
        try {
            result = streams().query(request);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(store.storeName(), e.getMessage());
        }
        Map<Integer, List<R>> answers = new LinkedHashMap<>();
        Map<Integer, String> failures = new LinkedHashMap<>();
        for (Map.Entry<Integer, QueryResult<R>> partition : result.getPartitionResults().entrySet()) {
            QueryResult<R> r = partition.getValue();
            if (r.isSuccess()) {
                answers.put(partition.getKey(), List.of(r.getResult()));
            } else if (!ignorable(r.getFailureReason(), scope, skipAbsent)) {
                failures.put(partition.getKey(), r.getFailureReason() + ": " + r.getFailureMessage());
            }
        }
        return new Partitioned<>(answers, failures);
    }

    /** Every-local-partition queries meet standby copies when only active ones were asked for: not an error. */
    private static boolean ignorable(FailureReason reason, Scope scope, boolean skipAbsent) {
        return (reason == FailureReason.NOT_ACTIVE && scope.partitions() == null)
                || (reason == FailureReason.NOT_PRESENT && skipAbsent);
    }
}
