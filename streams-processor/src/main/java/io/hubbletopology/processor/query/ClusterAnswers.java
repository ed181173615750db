package io.hubbletopology.processor.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.TopologyQueries;
import io.hubbletopology.processor.TopologyQueries.Scope;
import io.hubbletopology.processor.TopologyQueries.Store;
import io.hubbletopology.processor.TopologyQueries.StoreInstance;
import io.hubbletopology.processor.errors.StoreUnavailableException;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;

/**
 * Answers for the whole cluster from any instance. Kafka Streams spreads each store's partitions over the
 * instances of the application; this answers this instance's partitions locally, asks every other instance it
 * knows of ({@code application.server}), in parallel, for its part ({@link Peers}: the query API's peer protocol),
 * reads what is still missing from this instance's standby copies, and merges, taking each partition once.
 * Completeness is counted in partitions: an answer is whole only when every partition of the store answered,
 * whoever held it; every partition that did not is named in {@link Answer#missing()} with the instance believed
 * to hold it (or "unassigned") and why. A partition can go missing because its instance did not answer in
 * time, because it was moving in a rebalance, or because it is held by an instance that advertises no address.
 *
 * <pre>{@code
 * ClusterAnswers cluster = processor.queryService().acrossCluster(peers);
 * Answer<List<EdgeStats>> topology = cluster.topology(from, to);
 * if (topology.partial()) { ... topology.missing() ... }
 * }</pre>
 */
public final class ClusterAnswers {

    private final TopologyQueries local;
    private final Peers peers;

    public ClusterAnswers(TopologyQueries local, Peers peers) {
        this.local = local;
        this.peers = peers;
    }

    /** Each edge's figures over {@code [from, to]}, summed across instances. */
    public Answer<List<EdgeStats>> topology(Instant from, Instant to) {
        Answer<List<EdgeStats>> parts = gather(Store.EDGES, scope -> local.topologyByPartition(from, to, scope),
                new PeerQuestion.Edges(from, to));
        Map<String, EdgeStats> merged = new LinkedHashMap<>();
        for (EdgeStats e : parts.value()) {
            merged.merge(e.edgeKey(), e, EdgeStats::merge);
        }
        return new Answer<>(new ArrayList<>(merged.values()), parts.missing());
    }

    /**
     * The topology of {@code [from, now]} for a live client ({@link LiveTopology}): the windows that start before
     * {@link TopologyQueries#openFrom} summed per edge, and each later window on its own (one or two with the
     * default grace), each part merged across instances as {@link #topology} is. Partial when any part is.
     */
    public Answer<LiveTopology> liveTopology(Instant from, Instant now) {
        Instant openFrom = local.openFrom(now);
        try {
            local.requireReady();
        } catch (StoreUnavailableException e) {
            // Nothing to read yet (starting, rebalancing): an empty answer that says so, so a live client is told
            // what it lacks instead of getting nothing.
            return new Answer<>(new LiveTopology(from, openFrom, List.of(), List.of()),
                    List.of(new Answer.Missing("this instance", List.of(), e.getMessage())));
        }
        long size = local.windowSize().toMillis();
        Instant firstStart = Instant.ofEpochMilli(Math.floorDiv(from.toEpochMilli(), size) * size);
        List<Answer.Missing> missing = new ArrayList<>();
        List<EdgeStats> settled = List.of();
        if (openFrom.isAfter(firstStart)) {
            Answer<List<EdgeStats>> part = topology(from, openFrom.minusMillis(1));
            settled = part.value();
            missing.addAll(part.missing());
        }
        List<EdgeUpdate> open = new ArrayList<>();
        for (Instant start = openFrom.isAfter(firstStart) ? openFrom : firstStart; !start.isAfter(now); start = start.plusMillis(size)) {
            // [start, start] overlaps one window: the one that starts there.
            Answer<List<EdgeStats>> window = topology(start, start);
            for (EdgeStats edge : window.value()) {
                open.add(EdgeUpdate.of(start, start.plusMillis(size), edge));
            }
            window.missing().stream().filter(m -> !missing.contains(m)).forEach(missing::add);
        }
        return new Answer<>(new LiveTopology(from, openFrom, settled, open), missing);
    }

    public Answer<List<LinkState>> links() {
        return gather(Store.LINKS, local::linksByPartition, new PeerQuestion.Links());
    }

    public Answer<List<Workload>> workloads() {
        return gather(Store.WORKLOADS, local::workloadsByPartition, new PeerQuestion.Workloads());
    }

    /**
     * One edge's windows, from the instance active for its partition, else from a standby copy (this
     * instance's, or another's). Where the key lives is looked up once, here.
     */
    public Answer<List<EdgeUpdate>> edgeSeries(EdgeKey key, Instant from, Instant to) {
        local.requireReady();
        String edgeKey = key.text();
        int partition = local.partitionOf(Store.EDGES, edgeKey);
        StoreInstance here = local.localPartitions(Store.EDGES);
        List<StoreInstance> others = local.instances(Store.EDGES).stream().filter(i -> !i.local()).toList();
        String holder = PartitionMerge.UNASSIGNED;
        String reason = PartitionMerge.UNASSIGNED_REASON;
        for (boolean active : new boolean[] {true, false}) {
            if ((active ? here.activePartitions() : here.standbyPartitions()).contains(partition)) {
                Partitioned<EdgeUpdate> mine = local.edgeSeries(edgeKey, partition, from, to);
                if (mine.items().containsKey(partition)) {
                    return new Answer<>(mine.items().get(partition), List.of());
                }
                holder = name(here);
                reason = mine.failures().getOrDefault(partition, "not held here any more");
            }
            for (StoreInstance other : others) {
                if (!(active ? other.activePartitions() : other.standbyPartitions()).contains(partition)) {
                    continue;
                }
                try {
                    Partitioned<EdgeUpdate> theirs = peers.ask(other.address(), new PeerQuestion.Series(edgeKey, from, to)).join();
                    if (theirs.items().containsKey(partition)) {
                        return new Answer<>(theirs.items().get(partition), List.of());
                    }
                    reason = theirs.failures().getOrDefault(partition, PartitionMerge.MOVED);
                } catch (RuntimeException e) {
                    reason = rootMessage(e);
                }
                holder = name(other);
            }
        }
        return new Answer<>(List.of(), List.of(new Answer.Missing(holder, List.of(partition), reason)));
    }

    private <T> Answer<List<T>> gather(Store store, Function<Scope, Partitioned<T>> query, PeerQuestion<T> question) {
        local.requireReady();
        PartitionMerge<T> merge = new PartitionMerge<>(local.partitions(store));
        List<StoreInstance> others = local.instances(store).stream().filter(i -> !i.local()).toList();
        Map<StoreInstance, CompletableFuture<Partitioned<T>>> asked = new LinkedHashMap<>();
        for (StoreInstance other : others) {
            if (!other.activePartitions().isEmpty()) {
                asked.put(other, peers.ask(other.address(), question));
            }
        }
        StoreInstance here = local.localPartitions(store);
        merge.answered(name(here), query.apply(Scope.ACTIVE), here.activePartitions());
        for (Map.Entry<StoreInstance, CompletableFuture<Partitioned<T>>> e : asked.entrySet()) {
            StoreInstance other = e.getKey();
            try {
                merge.answered(name(other), e.getValue().join(), other.activePartitions());
            } catch (RuntimeException failure) {
                merge.failed(name(other), other.activePartitions(), rootMessage(failure));
            }
        }
        // What is still missing, read from this instance's standby copies where it has them.
        Set<Integer> fromStandby = new TreeSet<>(here.standbyPartitions());
        fromStandby.retainAll(merge.uncovered());
        if (!fromStandby.isEmpty()) {
            merge.answered(name(here), query.apply(Scope.of(fromStandby, true)), Set.of());
        }
        return merge.result();
    }

    private static String name(StoreInstance instance) {
        return instance.address() == null ? "this instance (no application.server)" : instance.address();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
