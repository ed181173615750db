package io.hubbletopology.api.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.processor.TopologyQueries;
import io.hubbletopology.processor.TopologyQueries.Scope;
import io.hubbletopology.processor.TopologyQueries.Store;
import io.hubbletopology.processor.TopologyQueries.StoreInstance;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.EdgeUpdate;
import io.hubbletopology.processor.model.LinkState;
import io.hubbletopology.processor.model.ModelJson;
import io.hubbletopology.processor.model.Workload;

/**
 * Answers for the whole cluster from any instance. Kafka Streams spreads each store's partitions over the
 * instances of the application; this asks every instance, in parallel and with a timeout, for the part it is
 * active for ({@code /internal/v1/...}), answers its own part locally, and merges. When an instance does not
 * answer, the parts this instance holds standby copies of are read here instead; what is still missing is
 * named in the answer, so it is partial rather than silently wrong. Key lookups go to the key's active
 * instance, then to its standbys.
 *
 * <pre>{@code
 * Answer<List<EdgeStats>> topology = cluster.topology(from, to);
 * if (topology.partial()) { ... topology.missing() ... }
 * }</pre>
 */
public final class ClusterQueries {

    /** The path prefix of the per-instance answers other instances ask for. */
    public static final String INTERNAL = "/internal/v1/";

    private final TopologyQueries local;
    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<String> token;
    private final String scheme;
    private final ObjectMapper json = ModelJson.MAPPER;

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
        Answer<List<EdgeStats>> parts = gather(Store.EDGES, scope -> local.topology(from, to, scope),
                "edges?from=" + enc(from.toString()) + "&to=" + enc(to.toString()), EdgeStats.class);
        Map<String, EdgeStats> merged = new LinkedHashMap<>();
        for (EdgeStats e : parts.value()) {
            merged.merge(e.edgeKey(), e, EdgeStats::merge);
        }
        return new Answer<>(new ArrayList<>(merged.values()), parts.missing());
    }

    public Answer<List<LinkState>> links() {
        return gather(Store.LINKS, local::links, "links", LinkState.class);
    }

    public Answer<List<Workload>> workloads() {
        return gather(Store.WORKLOADS, local::workloads, "workloads", Workload.class);
    }

    /** One edge's windows, from the instance active for it, else one of its standbys. */
    public Answer<List<EdgeUpdate>> edgeSeries(String edgeKey, Instant from, Instant to) {
        KeyQueryMetadata where = local.keyMetadata(Store.EDGES, edgeKey);
        if (where.partition() < 0 || local.self().isEmpty()) {
            return new Answer<>(local.edgeSeries(edgeKey, from, to), List.of());
        }
        List<HostInfo> candidates = new ArrayList<>();
        candidates.add(where.activeHost());
        candidates.addAll(where.standbyHosts());
        String path = "series?key=" + enc(edgeKey) + "&from=" + enc(from.toString()) + "&to=" + enc(to.toString());
        String lastError = "no instance holds it";
        for (HostInfo host : candidates) {
            if (host.equals(local.self().get())) {
                return new Answer<>(local.edgeSeries(edgeKey, from, to), List.of());
            }
            try {
                return new Answer<>(ask(host, path, EdgeUpdate.class).join().items(), List.of());
            } catch (RuntimeException e) {
                lastError = host + ": " + rootMessage(e);
            }
        }
        return new Answer<>(List.of(), List.of(new Answer.Missing(where.activeHost().toString(), List.of(where.partition()), lastError)));
    }

    /** This instance's own part, as other instances ask for it. */
    public <T> Part<T> localPart(Store store, Function<Scope, List<T>> query) {
        return new Part<>(new ArrayList<>(local.localPartitions(store).activePartitions()), query.apply(Scope.ACTIVE));
    }

    /** One instance's part of an answer: the partitions it covers and their items. */
    public record Part<T>(List<Integer> partitions, List<T> items) {
    }

    private <T> Answer<List<T>> gather(Store store, Function<Scope, List<T>> query, String path, Class<T> type) {
        List<StoreInstance> instances = local.instances(store);
        if (instances.isEmpty() || local.self().isEmpty()) {
            // Alone (no application.server): this instance is the whole cluster.
            return new Answer<>(query.apply(Scope.ACTIVE), List.of());
        }
        List<T> items = new ArrayList<>();
        Map<StoreInstance, CompletableFuture<Part<T>>> asked = new LinkedHashMap<>();
        for (StoreInstance instance : instances) {
            if (instance.local()) {
                items.addAll(query.apply(Scope.ACTIVE));
            } else if (!instance.activePartitions().isEmpty()) {
                asked.put(instance, ask(instance.host(), path, type));
            }
        }
        Set<Integer> localStandby = new HashSet<>();
        instances.stream().filter(StoreInstance::local).forEach(i -> localStandby.addAll(i.standbyPartitions()));
        List<Answer.Missing> missing = new ArrayList<>();
        for (Map.Entry<StoreInstance, CompletableFuture<Part<T>>> e : asked.entrySet()) {
            StoreInstance instance = e.getKey();
            try {
                items.addAll(e.getValue().join().items());
            } catch (RuntimeException failure) {
                // The instance is away: read its partitions from this instance's standby copies where there are some.
                Set<Integer> covered = new TreeSet<>(instance.activePartitions());
                covered.retainAll(localStandby);
                if (!covered.isEmpty()) {
                    items.addAll(query.apply(Scope.of(covered, true)));
                }
                Set<Integer> lost = new TreeSet<>(instance.activePartitions());
                lost.removeAll(covered);
                if (!lost.isEmpty()) {
                    missing.add(new Answer.Missing(instance.host().host() + ":" + instance.host().port(), List.copyOf(lost),
                            rootMessage(failure)));
                }
            }
        }
        return new Answer<>(items, missing);
    }

    private <T> CompletableFuture<Part<T>> ask(HostInfo host, String path, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + host.host() + ":" + host.port() + INTERNAL + path))
                .timeout(timeout);
        String bearer = token.get();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        JavaType items = json.getTypeFactory().constructCollectionType(List.class, type);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new PeerException(host + " answered " + r.statusCode());
            }
            try {
                JsonNode body = json.readTree(r.body());
                List<Integer> partitions = json.convertValue(body.path("partitions"),
                        json.getTypeFactory().constructCollectionType(List.class, Integer.class));
                List<T> values = json.convertValue(body.path("items"), items);
                return new Part<>(partitions, values);
            } catch (IOException e) {
                throw new PeerException(host + " sent an answer that is not ours: " + e.getMessage());
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Another instance did not answer as expected. */
    static final class PeerException extends RuntimeException {
        PeerException(String message) {
            super(message);
        }
    }
}
