package io.hubbletopology.api.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.streams.state.HostInfo;

import io.hubbletopology.processor.Partitioned;
import io.hubbletopology.processor.TopologyQueries;
import io.hubbletopology.processor.TopologyQueries.Scope;
import io.hubbletopology.processor.TopologyQueries.Store;
import io.hubbletopology.processor.TopologyQueries.StoreInstance;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.EdgeUpdate;
import io.hubbletopology.processor.model.LinkState;
import io.hubbletopology.processor.model.Workload;

/**
 * Answers for the whole cluster from any instance. Kafka Streams spreads each store's partitions over the
 * instances of the application; this answers this instance's partitions locally, asks every other instance it
 * knows of ({@code application.server}), in parallel and with a timeout, for its part ({@link PeerProtocol}),
 * reads what is still missing from this instance's standby copies, and merges, taking each partition once.
 * Completeness is counted in partitions: an answer is whole only when every partition of the store answered,
 * whoever held it; every partition that did not is named in {@link Answer#missing()} with the instance believed
 * to hold it (or "unassigned") and why. A partition can go missing because its instance did not answer in
 * time, because it was moving in a rebalance, or because it is held by an instance that advertises no address.
 *
 * <pre>{@code
 * Answer<List<EdgeStats>> topology = cluster.topology(from, to);
 * if (topology.partial()) { ... topology.missing() ... }
 * }</pre>
 */
public final class ClusterQueries {

    private final TopologyQueries local;
    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<String> token;
    private final String scheme;

    /**
     * @param token  the bearer token to present to the other instances, asked per call (tokens files change),
     *               or giving null when the API is open
     * @param scheme http or https, as the instances serve
     */
    public ClusterQueries(TopologyQueries local, Duration timeout, Supplier<String> token, String scheme, HttpClient http) {
        this.local = local;
        this.timeout = timeout;
        this.token = token;
        this.scheme = scheme;
        this.http = http;
    }

    /** Each edge's figures over {@code [from, to]}, summed across instances. */
    public Answer<List<EdgeStats>> topology(Instant from, Instant to) {
        Answer<List<EdgeStats>> parts = gather(Store.EDGES, scope -> local.topologyByPartition(from, to, scope),
                PeerProtocol.edges(from, to), EdgeStats.class);
        Map<String, EdgeStats> merged = new LinkedHashMap<>();
        for (EdgeStats e : parts.value()) {
            merged.merge(e.edgeKey(), e, EdgeStats::merge);
        }
        return new Answer<>(new ArrayList<>(merged.values()), parts.missing());
    }

    public Answer<List<LinkState>> links() {
        return gather(Store.LINKS, local::linksByPartition, PeerProtocol.LINKS, LinkState.class);
    }

    public Answer<List<Workload>> workloads() {
        return gather(Store.WORKLOADS, local::workloadsByPartition, PeerProtocol.WORKLOADS, Workload.class);
    }

    /**
     * One edge's windows, from the instance active for its partition, else from a standby copy (this
     * instance's, or another's).
     */
    public Answer<List<EdgeUpdate>> edgeSeries(String edgeKey, Instant from, Instant to) {
        int partition = local.partitionOf(Store.EDGES, edgeKey);
        StoreInstance here = local.localPartitions(Store.EDGES);
        List<StoreInstance> others = local.instances(Store.EDGES).stream().filter(i -> !i.local()).toList();
        String holder = PartitionMerge.UNASSIGNED;
        String reason = PartitionMerge.UNASSIGNED_REASON;
        for (boolean active : new boolean[] {true, false}) {
            if ((active ? here.activePartitions() : here.standbyPartitions()).contains(partition)) {
                Partitioned<EdgeUpdate> mine = local.edgeSeries(edgeKey, from, to);
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
                    Partitioned<EdgeUpdate> theirs = ask(other.host(), PeerProtocol.series(edgeKey, from, to), EdgeUpdate.class).join();
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

    /** This instance's own part of a store, as other instances ask for it: the partitions it is active for. */
    public <T> Partitioned<T> localPart(Function<Scope, Partitioned<T>> query) {
        return query.apply(Scope.ACTIVE);
    }

    private <T> Answer<List<T>> gather(Store store, Function<Scope, Partitioned<T>> query, String path, Class<T> type) {
        PartitionMerge<T> merge = new PartitionMerge<>(local.partitions(store));
        List<StoreInstance> others = local.instances(store).stream().filter(i -> !i.local()).toList();
        Map<StoreInstance, CompletableFuture<Partitioned<T>>> asked = new LinkedHashMap<>();
        for (StoreInstance other : others) {
            if (!other.activePartitions().isEmpty()) {
                asked.put(other, ask(other.host(), path, type));
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
        HostInfo host = instance.host();
        return host == null || host.port() < 0 || host.host().equals("unavailable") ? "this instance (no application.server)"
                : host.host() + ":" + host.port();
    }

    private <T> CompletableFuture<Partitioned<T>> ask(HostInfo host, String path, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + host.host() + ":" + host.port() + path))
                .timeout(timeout);
        String bearer = token.get();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new PeerException("answered " + r.statusCode());
            }
            try {
                return PeerProtocol.decode(r.body(), type);
            } catch (IOException | IllegalArgumentException e) {
                throw new PeerException("sent an answer that is not ours: " + e.getMessage());
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Another instance did not answer as expected. */
    static final class PeerException extends RuntimeException {
        PeerException(String message) {
            super(message);
        }
    }
}
