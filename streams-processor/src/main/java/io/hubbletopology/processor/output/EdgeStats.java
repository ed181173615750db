package io.hubbletopology.processor.output;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.graph.EdgeState;

/**
 * What one edge (source node, destination node, L4 protocol, destination port) carried over a span of time:
 * one window, or several summed with {@link #merge}. Its JSON is the shape of an edge on every surface (REST,
 * the live feed's snapshot and updates, the edge updates topic): the figures, and beside them what they imply
 * ({@code key}, {@code state}) and the old agent's names for some of them ({@code namespace}, {@code forwarded},
 * {@code dropped}, {@code timestamp}), which its clients read. Those are written, never read back.
 *
 * @param src          the source node's id (see {@link io.hubbletopology.graph.GraphNode#id()})
 * @param dst          the destination node's id
 * @param srcNamespace the source's namespace ("" for endpoints that are not pods)
 * @param dstNamespace the destination's namespace
 * @param protocol     TCP, UDP, ICMPV4, ICMPV6, SCTP or L4_UNKNOWN
 * @param port         the destination port (0 for ICMP)
 * @param flows        flows counted
 * @param verdicts     flows per Hubble verdict name (FORWARDED, DROPPED, ERROR, AUDIT, REDIRECTED, ...)
 * @param dropReasons  dropped flows per Hubble drop reason name (POLICY_DENIED, ...); a number Hubble
 *                     sent that we do not know is kept as its number
 * @param tcp          TCP flag counts
 * @param http         HTTP figures (from Hubble's L7 visibility)
 * @param dns          DNS figures
 * @param latency      L7 latency figures
 * @param encrypted    whether any flow of the edge was encrypted (WireGuard/IPsec)
 * @param nodes        the Kubernetes nodes that reported flows of the edge, sorted
 * @param firstSeen    the earliest flow time
 * @param lastSeen     the latest flow time
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"src", "dst", "state", "key", "src_namespace", "dst_namespace", "namespace", "protocol", "port",
    "flows", "forwarded", "dropped", "verdicts", "drop_reasons", "tcp", "http", "dns", "latency", "encrypted", "nodes",
    "first_seen", "last_seen", "timestamp"})
public record EdgeStats(String src, String dst, String srcNamespace, String dstNamespace, String protocol, int port,
                        long flows, Map<String, Long> verdicts, Map<String, Long> dropReasons, Tcp tcp, Http http,
                        Dns dns, Latency latency, boolean encrypted, List<String> nodes, Instant firstSeen,
                        Instant lastSeen) {

    public EdgeStats {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        verdicts = sorted(verdicts);
        dropReasons = sorted(dropReasons);
        tcp = tcp == null ? new Tcp(0, 0) : tcp;
        http = http == null ? new Http(0, Map.of()) : http;
        dns = dns == null ? new Dns(0, 0) : dns;
        latency = latency == null ? new Latency(0, 0, 0) : latency;
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** TCP flows with the SYN flag (connection attempts) and with the RST flag (refused or reset). */
    public record Tcp(long syn, long rst) {
    }

    /**
     * @param requests     HTTP request flows
     * @param status       HTTP response flows per status class: {@code 1xx} ... {@code 5xx}
     * @param routes       HTTP request flows per method and path (the URL's path, without query or fragment), at
     *                     most {@value #MAX_ROUTES}, sorted by path and method
     * @param routesOther  HTTP request flows not in {@code routes}: beyond the {@value #MAX_ROUTES} distinct routes of
     *                     a window (or the largest {@value #MAX_ROUTES} when spans are merged), with a method or path
     *                     too long to keep, or without a method or URL. Non-zero means {@code routes} is not the whole
     *                     list of what the edge carried.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"requests", "status", "routes", "routes_other"})
    public record Http(long requests, Map<String, Long> status, List<Route> routes, long routesOther) {

        /** The most distinct routes one edge keeps, per window and per merged span: the figures stay bounded. */
        public static final int MAX_ROUTES = 32;

        public Http {
            status = sorted(status);
            routes = routes == null ? List.of() : routes.stream().sorted().toList();
        }

        /** Without routes (figures kept before routes were). */
        public Http(long requests, Map<String, Long> status) {
            this(requests, status, List.of(), 0);
        }

        /** Whether {@code routes} lists every HTTP request flow: none overflowed, none lacked a method or path. */
        @JsonIgnore
        public boolean routesComplete() {
            return routesOther == 0 && routes.stream().mapToLong(Route::requests).sum() == requests;
        }

        Http merge(Http other) {
            Map<Route, Long> summed = new TreeMap<>();
            for (Route r : routes) {
                summed.merge(r.withRequests(0), r.requests(), Long::sum);
            }
            for (Route r : other.routes) {
                summed.merge(r.withRequests(0), r.requests(), Long::sum);
            }
            List<Route> all = new ArrayList<>();
            summed.forEach((r, n) -> all.add(r.withRequests(n)));
            // The largest stay; ties go by route, so the same spans merge to the same figures in any order.
            all.sort(Comparator.comparingLong(Route::requests).reversed().thenComparing(Comparator.naturalOrder()));
            List<Route> kept = all.subList(0, Math.min(all.size(), MAX_ROUTES));
            long dropped = all.subList(kept.size(), all.size()).stream().mapToLong(Route::requests).sum();
            return new Http(requests + other.requests, sum(status, other.status), kept,
                    routesOther + other.routesOther + dropped);
        }
    }

    /** HTTP request flows of one method and path ({@code GET /api/cart}). */
    public record Route(String method, String path, long requests) implements Comparable<Route> {

        private static final Comparator<Route> ORDER = Comparator.comparing(Route::path).thenComparing(Route::method);

        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }

        Route withRequests(long n) {
            return new Route(method, path, n);
        }

        @Override
        public int compareTo(Route o) {
            return ORDER.compare(this, o);
        }
    }

    /**
     * @param queries  DNS request flows
     * @param failures DNS responses with a non-zero rcode (NXDOMAIN, SERVFAIL, ...)
     */
    public record Dns(long queries, long failures) {
    }

    /** L7 latencies Hubble measured (request to response), in nanoseconds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(long count, long sumNs, long maxNs) {
    }

    /** The edge. */
    @JsonIgnore
    public EdgeKey key() {
        return new EdgeKey(src, dst, protocol, port);
    }

    /** The edge's key as text, as on the flows topic: {@code <src> -> <dst> <protocol>/<port>}. */
    @JsonProperty("key")
    public String edgeKey() {
        return key().text();
    }

    /** How the edge fared: the one rule of {@link EdgeState}, over the verdict counts. */
    @JsonIgnore
    public EdgeState state() {
        return EdgeState.of(forwarded(), dropped());
    }

    @JsonProperty("state")
    String stateLabel() {
        return state().label();
    }

    /** The source's namespace, under the old agent's name. */
    @JsonProperty("namespace")
    String namespace() {
        return srcNamespace;
    }

    /** The latest flow time, under the old agent's name. */
    @JsonProperty("timestamp")
    Instant timestamp() {
        return lastSeen;
    }

    @JsonProperty("forwarded")
    public long forwarded() {
        return verdicts.getOrDefault("FORWARDED", 0L);
    }

    @JsonProperty("dropped")
    public long dropped() {
        return verdicts.getOrDefault("DROPPED", 0L);
    }

    /** The sum of two spans of the same edge (e.g. consecutive windows, or the same window from two sources). */
    public EdgeStats merge(EdgeStats other) {
        TreeSet<String> allNodes = new TreeSet<>(nodes);
        allNodes.addAll(other.nodes);
        return new EdgeStats(src, dst, srcNamespace, dstNamespace, protocol, port, flows + other.flows,
                sum(verdicts, other.verdicts), sum(dropReasons, other.dropReasons),
                new Tcp(tcp.syn + other.tcp.syn, tcp.rst + other.tcp.rst),
                http.merge(other.http),
                new Dns(dns.queries + other.dns.queries, dns.failures + other.dns.failures),
                new Latency(latency.count + other.latency.count, latency.sumNs + other.latency.sumNs,
                        Math.max(latency.maxNs, other.latency.maxNs)),
                encrypted || other.encrypted, List.copyOf(allNodes), earliest(firstSeen, other.firstSeen),
                latest(lastSeen, other.lastSeen));
    }

    /** An unmodifiable copy in key order, so the JSON reads the same every time. */
    static Map<String, Long> sorted(Map<String, Long> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
