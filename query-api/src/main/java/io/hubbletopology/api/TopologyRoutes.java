package io.hubbletopology.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.api.cluster.Answer;
import io.hubbletopology.api.cluster.ClusterQueries;
import io.hubbletopology.api.cluster.PeerProtocol;
import io.hubbletopology.model.EdgeKeys;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.processor.TopologyQueries;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.EdgeUpdate;
import io.hubbletopology.processor.model.LinkState;
import io.hubbletopology.processor.model.ModelJson;
import io.hubbletopology.processor.model.Workload;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The REST answers, each for the whole cluster ({@link ClusterQueries}): the old agent's {@code /topology} and
 * {@code /links} in its shapes, the versioned {@code /api/v1} paths, and the per-instance parts other
 * instances ask for under {@code /internal/v1}. Every answer that merges instances carries {@code partial}
 * and, when true, {@code missing}: which instance and partitions could not be asked, and why.
 */
final class TopologyRoutes {

    private final TopologyProcessor processor;
    private final ClusterQueries cluster;
    private final Clock clock;
    private final MeterRegistry registry;

    TopologyRoutes(TopologyProcessor processor, ClusterQueries cluster, Clock clock, MeterRegistry registry) {
        this.processor = processor;
        this.cluster = cluster;
        this.clock = clock;
        this.registry = registry;
    }

    private TimeRange range(Function<String, String> param) {
        return TimeRange.parse(param.apply("last"), param.apply("from"), param.apply("to"), ApiServer.DEFAULT_RANGE, clock);
    }

    /** A request's parameters, copied out of it: answers may be recomputed after the request is gone. */
    static Map<String, String> params(Context ctx) {
        Map<String, String> params = new java.util.HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) {
                params.put(k, v.get(0));
            }
        });
        return Map.copyOf(params);
    }

    /** The parameters that change a topology answer; nothing else may make a new cache entry. */
    private static final List<String> TOPOLOGY_PARAMETERS = List.of("last", "from", "to", "namespace", "verdict",
            "protocol", "min_flows", "group_by");
    private static final java.util.Set<String> LISTS = java.util.Set.of("namespace", "verdict", "protocol");
    private static final java.util.Set<String> KEEP_CASE = java.util.Set.of("namespace", "from", "to");

    /**
     * The cache key of a topology question: its path and the parameters that change the answer, written the
     * same way however they were spelt (list items sorted and without repeats, case folded where it does not
     * matter). A relative range stays relative: {@code last=15m} asked twice is one question.
     */
    static String question(String path, Map<String, String> params) {
        StringBuilder key = new StringBuilder(path).append('?');
        for (String name : TOPOLOGY_PARAMETERS) {
            String value = params.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            String v = KEEP_CASE.contains(name) ? value.trim() : value.trim().toLowerCase(java.util.Locale.ROOT);
            if (LISTS.contains(name)) {
                v = String.join(",", new java.util.TreeSet<>(java.util.Arrays.stream(v.split(",")).map(String::trim)
                        .filter(x -> !x.isEmpty()).toList()));
            }
            key.append(name).append('=').append(v).append('&');
        }
        return key.toString();
    }

    /** GET /topology: the old agent's shape, {"links": [...]} with src, dst, state. */
    Map<String, Object> oldTopology(Map<String, String> params) {
        TimeRange range = range(params::get);
        TopologyFilter filter = TopologyFilter.parse(params::get);
        requireRunning();
        Instant asOf = clock.instant();
        Answer<List<EdgeStats>> answer = cluster.topology(range.from(), range.to());
        Map<String, Object> body = TopologyView.topology(filter.apply(answer.value()), range);
        return withCompleteness("/topology", body, answer, asOf);
    }

    /** GET /api/v1/topology: every figure of every edge, and the nodes. */
    Map<String, Object> topology(Map<String, String> params) {
        TimeRange range = range(params::get);
        TopologyFilter filter = TopologyFilter.parse(params::get);
        requireRunning();
        Instant asOf = clock.instant();
        Answer<List<EdgeStats>> answer = cluster.topology(range.from(), range.to());
        List<EdgeStats> edges = filter.apply(answer.value());
        edges.sort((a, b) -> Long.compare(b.flows(), a.flows()));
        Map<String, Map<String, Object>> nodes = new TreeMap<>();
        List<Object> links = new ArrayList<>();
        for (EdgeStats e : edges) {
            ObjectNode edge = ModelJson.MAPPER.valueToTree(e);
            edge.put("state", TopologyView.state(e));
            edge.put("key", e.edgeKey());
            links.add(edge);
            nodes.computeIfAbsent(e.src(), id -> node(id, e.srcNamespace()));
            nodes.computeIfAbsent(e.dst(), id -> node(id, e.dstNamespace()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("group_by", filter.groupBy().name().toLowerCase());
        body.put("nodes", new ArrayList<>(nodes.values()));
        body.put("links", links);
        return withCompleteness("/api/v1/topology", body, answer, asOf);
    }

    /** GET /api/v1/edges: one edge's figures per window (its time series). */
    Map<String, Object> edgeSeries(Context ctx) {
        TimeRange range = range(ctx::queryParam);
        String src = required(ctx, "src");
        String dst = required(ctx, "dst");
        String protocol = ctx.queryParam("protocol") == null ? "TCP" : ctx.queryParam("protocol").trim().toUpperCase();
        int port;
        try {
            port = Integer.parseInt(required(ctx, "port").trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new BadParameterException("port", "'" + ctx.queryParam("port") + "' is not a port number (0..65535)");
        }
        requireRunning();
        Instant asOf = clock.instant();
        String key = EdgeKeys.of(src, dst, protocol, port);
        Answer<List<EdgeUpdate>> answer = cluster.edgeSeries(key, range.from(), range.to());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("windows", answer.value());
        return withCompleteness("/api/v1/edges", body, answer, asOf);
    }

    /** GET /links and /api/v1/links, filtered by node and state. */
    Map<String, Object> links(Context ctx) {
        String node = ctx.queryParam("node");
        String state = ctx.queryParam("state");
        requireRunning();
        Instant asOf = clock.instant();
        Answer<List<LinkState>> answer = cluster.links();
        List<LinkState> kept = answer.value().stream()
                .filter(l -> node == null || node.equals(l.node()))
                .filter(l -> state == null || state.equalsIgnoreCase(l.state()))
                .toList();
        return withCompleteness("/api/v1/links", new LinkedHashMap<>(TopologyView.links(kept)), answer, asOf);
    }

    /** GET /api/v1/workloads, filtered by namespace. */
    Map<String, Object> workloads(Context ctx) {
        String namespace = ctx.queryParam("namespace");
        requireRunning();
        Instant asOf = clock.instant();
        Answer<List<Workload>> answer = cluster.workloads();
        List<Workload> kept = answer.value().stream()
                .filter(w -> namespace == null || namespace.equals(w.namespace()))
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workloads", kept);
        return withCompleteness("/api/v1/workloads", body, answer, asOf);
    }

    /** GET /api/v1/namespaces: every namespace with its workloads' count. */
    Map<String, Object> namespaces(Context ctx) {
        requireRunning();
        Instant asOf = clock.instant();
        Answer<List<Workload>> answer = cluster.workloads();
        Map<String, Integer> counts = new TreeMap<>();
        for (Workload w : answer.value()) {
            if (w.namespace() != null && !w.namespace().isEmpty()) {
                counts.merge(w.namespace(), 1, Integer::sum);
            }
        }
        List<Map<String, Object>> namespaces = new ArrayList<>();
        counts.forEach((name, n) -> namespaces.add(Map.of("name", name, "workloads", n)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespaces", namespaces);
        return withCompleteness("/api/v1/namespaces", body, answer, asOf);
    }

    // ---- this instance's part, for the other instances

    Object internalEdges(Context ctx) {
        Instant from = TimeRange.instant("from", required(ctx, "from"));
        Instant to = TimeRange.instant("to", required(ctx, "to"));
        requireRunning();
        return PeerProtocol.encode(cluster.localPart(scope -> processor.queries().topologyByPartition(from, to, scope)));
    }

    Object internalLinks(Context ctx) {
        requireRunning();
        return PeerProtocol.encode(cluster.localPart(processor.queries()::linksByPartition));
    }

    Object internalWorkloads(Context ctx) {
        requireRunning();
        return PeerProtocol.encode(cluster.localPart(processor.queries()::workloadsByPartition));
    }

    Object internalSeries(Context ctx) {
        Instant from = TimeRange.instant("from", required(ctx, "from"));
        Instant to = TimeRange.instant("to", required(ctx, "to"));
        String key = required(ctx, "key");
        requireRunning();
        return PeerProtocol.encode(processor.queries().edgeSeries(key, from, to));
    }

    // ---- helpers

    private void requireRunning() {
        if (!processor.running()) {
            throw new TopologyQueries.StoreUnavailableException("*", "Kafka Streams is " + processor.state());
        }
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw new BadParameterException(name, "is required");
        }
        return value;
    }

    private static Map<String, Object> node(String id, String namespace) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("namespace", namespace);
        m.put("kind", id.startsWith("reserved:") ? "reserved" : id.startsWith("dns:") ? "dns" : id.startsWith("ip:") ? "ip"
                : namespace == null || namespace.isEmpty() ? "other" : "workload");
        return m;
    }

    /** Says how complete and how fresh an answer is: the time its computation started, and what it lacks. */
    private Map<String, Object> withCompleteness(String route, Map<String, Object> body, Answer<?> answer, Instant asOf) {
        body.put("as_of", asOf.toString());
        body.put("partial", answer.partial());
        if (answer.partial()) {
            // Counted where an answer is computed: a cached answer served again is not, a background refresh is.
            Counter.builder("hubble_topology_partial_answers").tag("route", route)
                    .description("Answers computed with parts missing (an instance or partition did not answer)")
                    .register(registry).increment();
            body.put("missing", answer.missing());
        }
        return body;
    }

}
