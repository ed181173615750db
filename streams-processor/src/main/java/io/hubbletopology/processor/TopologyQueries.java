package io.hubbletopology.processor;

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

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
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

import io.hubbletopology.processor.internal.EdgeFigures;
import io.hubbletopology.processor.internal.StoreValues;
import io.hubbletopology.processor.internal.TopologyStreams;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.EdgeUpdate;
import io.hubbletopology.processor.model.LinkState;
import io.hubbletopology.processor.model.Workload;

/**
 * Questions about the topology, answered from this instance's state stores with interactive queries v2, so
 * the query API never touches Kafka Streams itself. Two kinds of method:
 * <ul>
 *   <li><b>Local answers</b> ({@link #topology}, {@link #edgeWindows}, {@link #edgeSeries}, {@link #links},
 *       {@link #workloads}) read this instance's partitions. By default ({@link Scope#ACTIVE}) only the partitions
 *       it is active for, so the answers of all instances are disjoint and merge by concatenation (edges: by
 *       {@link EdgeStats#edgeKey()}, links by key, workloads by id).</li>
 *   <li><b>Where things are</b> ({@link #instances}, {@link #keyMetadata}, {@link #localPartitions}): which
 *       instances host a store and which partitions each holds active or standby, and which instance holds one
 *       key, from Kafka Streams' metadata ({@code application.server} of every instance). The fan-out over
 *       HTTP is the caller's.</li>
 * </ul>
 *
 * <pre>{@code
 * TopologyQueries q = processor.queries();
 * List<EdgeStats> edges = q.topology(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
 * for (TopologyQueries.StoreInstance other : q.instances(TopologyQueries.Store.EDGES)) {
 *     if (!other.local()) { ... ask other.host() for its active partitions' answer ... }
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
     * @param host              its {@code application.server} (host and API port)
     * @param local             whether it is this instance
     * @param activePartitions  the store's partitions it is active for
     * @param standbyPartitions the store's partitions it keeps standby copies of
     */
    public record StoreInstance(HostInfo host, boolean local, Set<Integer> activePartitions, Set<Integer> standbyPartitions) {
    }

    private final KafkaStreams streams;
    private final ProcessorConfig config;
    private final ProcessingCounters counters;

    TopologyQueries(KafkaStreams streams, ProcessorConfig config, ProcessingCounters counters) {
        this.streams = streams;
        this.config = config;
        this.counters = counters;
    }

    // ---- local answers

    /** Each edge's figures summed over the windows that overlap {@code [from, to]}, from this instance's active partitions. */
    public List<EdgeStats> topology(Instant from, Instant to) {
        return topology(from, to, Scope.ACTIVE);
    }

    /** Each edge's figures summed over the windows that overlap {@code [from, to]}, in the given scope. */
    public List<EdgeStats> topology(Instant from, Instant to, Scope scope) {
        Map<String, EdgeStats> edges = new LinkedHashMap<>();
        for (EdgeUpdate w : edgeWindows(from, to, scope)) {
            edges.merge(w.stats().edgeKey(), w.stats(), EdgeStats::merge);
        }
        return new ArrayList<>(edges.values());
    }

    /** Every edge's figures per window, for the windows that overlap {@code [from, to]}, in the given scope. */
    public List<EdgeUpdate> edgeWindows(Instant from, Instant to, Scope scope) {
        Query<KeyValueIterator<Windowed<String>, ValueAndTimestamp<Object>>> query =
                WindowRangeQuery.withWindowStartRange(firstOverlappingStart(from), to);
        List<EdgeUpdate> windows = new ArrayList<>();
        for (KeyValueIterator<Windowed<String>, ValueAndTimestamp<Object>> it : run(Store.EDGES, query, scope)) {
            try (it) {
                while (it.hasNext()) {
                    KeyValue<Windowed<String>, ValueAndTimestamp<Object>> kv = it.next();
                    windows.add(EdgeUpdate.of(kv.key.window().startTime(), kv.key.window().endTime(),
                            EdgeFigures.stats(kv.value.value())));
                }
            }
        }
        return windows;
    }

    /**
     * One edge's figures per window (its time series), for the windows that overlap {@code [from, to]}, oldest
     * first; empty when this instance holds no window of the edge (see {@link #keyMetadata} for the one that does).
     *
     * @param edgeKey the edge key ({@link EdgeStats#edgeKey()}: {@code <src> -> <dst> <protocol>/<port>})
     */
    public List<EdgeUpdate> edgeSeries(String edgeKey, Instant from, Instant to) {
        Duration size = config.windowSize();
        Query<WindowStoreIterator<ValueAndTimestamp<Object>>> query =
                WindowKeyQuery.withKeyAndWindowStartRange(edgeKey, firstOverlappingStart(from), to);
        KeyQueryMetadata where = keyMetadata(Store.EDGES, edgeKey);
        Scope scope = where.partition() >= 0 ? Scope.of(Set.of(where.partition()), true) : Scope.ACTIVE;
        List<EdgeUpdate> series = new ArrayList<>();
        for (WindowStoreIterator<ValueAndTimestamp<Object>> it : run(Store.EDGES, query, scope, true)) {
            try (it) {
                while (it.hasNext()) {
                    KeyValue<Long, ValueAndTimestamp<Object>> kv = it.next();
                    Instant start = Instant.ofEpochMilli(kv.key);
                    series.add(EdgeUpdate.of(start, start.plus(size), EdgeFigures.stats(kv.value.value())));
                }
            }
        }
        series.sort((a, b) -> a.windowStart().compareTo(b.windowStart()));
        return series;
    }

    /** The latest state of every interface of this instance's active partitions. */
    public List<LinkState> links() {
        return links(Scope.ACTIVE);
    }

    public List<LinkState> links(Scope scope) {
        List<LinkState> links = new ArrayList<>();
        for (Object value : values(Store.LINKS, scope)) {
            links.add(StoreValues.link(value));
        }
        return links;
    }

    /** The workload inventory of this instance's active partitions. */
    public List<Workload> workloads() {
        return workloads(Scope.ACTIVE);
    }

    public List<Workload> workloads(Scope scope) {
        List<Workload> workloads = new ArrayList<>();
        for (Object value : values(Store.WORKLOADS, scope)) {
            workloads.add(StoreValues.workload(value));
        }
        return workloads;
    }

    /** Flows this instance left out of every figure because they came after their window's grace period. */
    public long lateFlows() {
        return counters.lateFlows();
    }

    /**
     * Records Kafka Streams dropped on this instance (Streams' {@code dropped-records-total} task metric): the
     * records sent to the dead-letter topic because they could not be decoded or used.
     */
    public long droppedRecords() {
        double sum = 0;
        for (var entry : streams.metrics().entrySet()) {
            if (entry.getKey().name().equals("dropped-records-total") && entry.getKey().group().equals("stream-task-metrics")) {
                sum += ((Number) entry.getValue().metricValue()).doubleValue();
            }
        }
        return (long) sum;
    }

    // ---- where things are

    /** This instance's {@code application.server}, when configured. */
    public Optional<HostInfo> self() {
        return config.applicationServer() == null ? Optional.empty() : Optional.of(HostInfo.buildFromEndpoint(config.applicationServer()));
    }

    /**
     * Every instance that hosts the store (needs {@code application.server} on each), with the store's
     * partitions it holds active and standby. Empty while Kafka Streams has no assignment yet.
     */
    public List<StoreInstance> instances(Store store) {
        String topic = sourceTopic(store);
        Optional<HostInfo> self = self();
        List<StoreInstance> out = new ArrayList<>();
        for (StreamsMetadata m : streams.streamsMetadataForStore(store.storeName())) {
            out.add(new StoreInstance(m.hostInfo(), self.map(m.hostInfo()::equals).orElse(false),
                    partitionsOf(m.topicPartitions(), topic), partitionsOf(m.standbyTopicPartitions(), topic)));
        }
        return out;
    }

    /** The store's partitions this instance holds, active and standby; works without {@code application.server}. */
    public StoreInstance localPartitions(Store store) {
        String topic = sourceTopic(store);
        Set<TopicPartition> active = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        Set<TopicPartition> standby = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().stream().map(TaskMetadata::topicPartitions).forEach(active::addAll);
            thread.standbyTasks().stream().map(TaskMetadata::topicPartitions).forEach(standby::addAll);
        }
        return new StoreInstance(self().orElse(HostInfo.unavailable()), true, partitionsOf(active, topic),
                partitionsOf(standby, topic));
    }

    /**
     * Which instance is active for a key of the store, its standbys and the partition;
     * {@link KeyQueryMetadata#NOT_AVAILABLE} (partition -1) while metadata is not ready.
     */
    public KeyQueryMetadata keyMetadata(Store store, String key) {
        return streams.queryMetadataForKey(store.storeName(), key, Serdes.String().serializer());
    }

    // ---- plumbing

    private Instant firstOverlappingStart(Instant from) {
        // A window starting up to one size before `from` still covers part of the range.
        return from.minus(config.windowSize()).plusMillis(1);
    }

    private String sourceTopic(Store store) {
        return switch (store) {
            case EDGES -> config.topics().flows();
            case LINKS -> config.topics().links();
            case WORKLOADS -> config.applicationId() + "-" + TopologyStreams.WORKLOAD_SIGHTINGS + "-repartition";
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

    private List<Object> values(Store store, Scope scope) {
        List<Object> values = new ArrayList<>();
        Query<KeyValueIterator<String, Object>> query = RangeQuery.withNoBounds();
        for (KeyValueIterator<String, Object> it : run(store, query, scope)) {
            try (it) {
                it.forEachRemaining(kv -> values.add(kv.value));
            }
        }
        return values;
    }

    private <R> List<R> run(Store store, Query<R> query, Scope scope) {
        return run(store, query, scope, false);
    }

    private <R> List<R> run(Store store, Query<R> query, Scope scope, boolean skipAbsent) {
        StateQueryRequest<R> request = StateQueryRequest.inStore(store.storeName()).withQuery(query);
        request = scope.partitions() == null ? request.withAllPartitions() : request.withPartitions(scope.partitions());
        if (!scope.allowStandby()) {
            request = request.requireActive();
        }
        StateQueryResult<R> result;
        try {
            result = streams.query(request);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(store.storeName(), e.getMessage());
        }
        List<R> answers = new ArrayList<>();
        for (Map.Entry<Integer, QueryResult<R>> partition : result.getPartitionResults().entrySet()) {
            QueryResult<R> r = partition.getValue();
            if (r.isSuccess()) {
                answers.add(r.getResult());
            } else if (ignorable(r.getFailureReason(), scope, skipAbsent)) {
                continue;
            } else {
                throw new StoreUnavailableException(store.storeName(), "partition " + partition.getKey() + ": "
                        + r.getFailureReason() + " " + r.getFailureMessage());
            }
        }
        return answers;
    }

    /** Every-local-partition queries meet standby copies when only active ones were asked for: not an error. */
    private static boolean ignorable(FailureReason reason, Scope scope, boolean skipAbsent) {
        return (reason == FailureReason.NOT_ACTIVE && scope.partitions() == null)
                || (reason == FailureReason.NOT_PRESENT && skipAbsent);
    }

    /** A store cannot be queried right now (the instance is starting, rebalancing or restoring). */
    public static final class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String store, String reason) {
            super("store " + store + " is not queryable: " + reason);
        }
    }
}
