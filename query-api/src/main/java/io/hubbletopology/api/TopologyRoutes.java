package io.hubbletopology.api;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;
import io.hubbletopology.processor.query.Answer;
import io.hubbletopology.processor.query.ClusterAnswers;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The REST answers, each for the whole cluster ({@link ClusterAnswers}): the old agent's {@code /topology} and
 * {@code /links} in its shapes and the versioned {@code /api/v1} paths. Every answer carries {@code partial}
 * and, when true, {@code missing}: which instance and partitions could not be asked, and why.
 */
final class TopologyRoutes {

    private final ClusterAnswers cluster;
    private final Clock clock;
    private final MeterRegistry registry;

    TopologyRoutes(ClusterAnswers cluster, Clock clock, MeterRegistry registry) {
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
        return topology("/topology", params);
    }

    /** GET /api/v1/topology: every figure of every edge, and the nodes; the same edges as {@code /topology}. */
    Map<String, Object> topology(Map<String, String> params) {
        Map<String, Object> body = topology("/api/v1/topology", params);
        body.put("group_by", TopologyFilter.parse(params::get).groupBy().name().toLowerCase());
        return body;
    }

    private Map<String, Object> topology(String route, Map<String, String> params) {
        TimeRange range = range(params::get);
        TopologyFilter filter = TopologyFilter.parse(params::get);
        Instant asOf = clock.instant();
        Answer<List<EdgeStats>> answer = cluster.topology(range.from(), range.to());
        return withCompleteness(route, TopologyView.topology(filter.apply(answer.value()), range), answer, asOf);
    }

    /** GET /api/v1/edges: one edge's figures per window (its time series). */
    Map<String, Object> edgeSeries(Context ctx) {
        TimeRange range = range(ctx::queryParam);
        String src = BadParameterException.required("src", ctx.queryParam("src"));
        String dst = BadParameterException.required("dst", ctx.queryParam("dst"));
        String protocol = ctx.queryParam("protocol") == null ? "TCP" : ctx.queryParam("protocol").trim().toUpperCase();
        int port;
        try {
            port = Integer.parseInt(BadParameterException.required("port", ctx.queryParam("port")).trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new BadParameterException("port", "'" + ctx.queryParam("port") + "' is not a port number (0..65535)");
        }
        Instant asOf = clock.instant();
        EdgeKey key = new EdgeKey(src, dst, protocol, port);
        Answer<List<EdgeUpdate>> answer = cluster.edgeSeries(key, range.from(), range.to());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key.text());
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("windows", answer.value());
        return withCompleteness("/api/v1/edges", body, answer, asOf);
    }

    /** GET /links and /api/v1/links, filtered by node and state. */
    Map<String, Object> links(Context ctx) {
        String node = ctx.queryParam("node");
        String state = ctx.queryParam("state");
        Instant asOf = clock.instant();
        Answer<List<LinkState>> answer = cluster.links();
        List<LinkState> kept = answer.value().stream()
                .filter(l -> node == null || node.equals(l.node()))
                .filter(l -> state == null || state.equalsIgnoreCase(l.state()))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("links", TopologyView.sorted(kept));
        return withCompleteness("/api/v1/links", body, answer, asOf);
    }

    /** GET /api/v1/workloads, filtered by namespace. */
    Map<String, Object> workloads(Context ctx) {
        String namespace = ctx.queryParam("namespace");
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
