package io.hubbletopology.sink.series;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.hubbletopology.processor.output.EdgeStats;

/**
 * An edge window's TCP, HTTP, DNS and latency figures as series (docs/topics.md), each written only when non-zero.
 *
 * <p>Labels stay bounded: status classes are {@code 1xx}..{@code 5xx} (anything else is {@code other}), methods are
 * the nine of RFC 9110 and RFC 5789 (anything else, and requests whose method the record does not give, is
 * {@code OTHER}), so an edge has at most 5 + 1 status and 10 method series. URL paths are never a label: they carry
 * ids and would make a series per customer; they stay in {@code topology.edges} and the API.
 */
final class L7Series {

    static final String TCP_FLAGS = "hubble_topology_edge_tcp_flags";
    static final String HTTP_REQUESTS = "hubble_topology_edge_http_requests";
    static final String HTTP_RESPONSES = "hubble_topology_edge_http_responses";
    static final String DNS_QUERIES = "hubble_topology_edge_dns_queries";
    static final String DNS_FAILURES = "hubble_topology_edge_dns_failures";
    static final String LATENCY_MEASURED = "hubble_topology_edge_latency_measured";
    static final String LATENCY_SECONDS = "hubble_topology_edge_latency_seconds";
    static final String LATENCY_MAX_SECONDS = "hubble_topology_edge_latency_max_seconds";

    static final String OTHER_METHOD = "OTHER";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    private static final Pattern STATUS_CLASS = Pattern.compile("[1-5]xx");

    private L7Series() {
    }

    static void add(EdgeStats stats, SeriesMapping.SeriesOfOneTime series) {
        addIfNonZero(series, TCP_FLAGS, "flag", "syn", stats.tcp().syn());
        addIfNonZero(series, TCP_FLAGS, "flag", "rst", stats.tcp().rst());
        EdgeStats.Http http = stats.http();
        byMethod(http).forEach((method, n) -> addIfNonZero(series, HTTP_REQUESTS, "method", method, n));
        Map<String, Long> status = new TreeMap<>();
        http.status().forEach((c, n) -> status.merge(STATUS_CLASS.matcher(c).matches() ? c : "other", n, Long::sum));
        status.forEach((c, n) -> addIfNonZero(series, HTTP_RESPONSES, "status_class", c, n));
        series.addIfNonZero(DNS_QUERIES, stats.dns().queries());
        series.addIfNonZero(DNS_FAILURES, stats.dns().failures());
        EdgeStats.Latency latency = stats.latency();
        if (latency.count() > 0) {
            series.addAlways(LATENCY_MEASURED, latency.count());
            series.addAlways(LATENCY_SECONDS, latency.sumNs() / 1e9);
            series.addAlways(LATENCY_MAX_SECONDS, latency.maxNs() / 1e9);
        }
    }

    /** Requests per method; they add up to {@code http.requests}, the ones the routes do not name being OTHER. */
    private static Map<String, Long> byMethod(EdgeStats.Http http) {
        Map<String, Long> methods = new TreeMap<>();
        long named = 0;
        for (EdgeStats.Route route : http.routes()) {
            String method = route.method().toUpperCase(Locale.ROOT);
            if (METHODS.contains(method)) {
                methods.merge(method, route.requests(), Long::sum);
                named += route.requests();
            }
        }
        methods.put(OTHER_METHOD, Math.max(0, http.requests() - named));
        return methods;
    }

    private static void addIfNonZero(SeriesMapping.SeriesOfOneTime series, String name, String label, String value, long n) {
        if (n != 0) {
            series.add(name, label, value, n);
        }
    }
}
