package io.hubbletopology.processor.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.graph.EndpointNames;
import io.hubbletopology.graph.GraphNode;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.HttpRecord;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.TcpFlag;

/**
 * How one flow adds to an edge's figures, and how the stored figures read as {@link EdgeStats}.
 * <ul>
 *   <li>HTTP: a request is an HTTP flow without a status code; a response counts in its status class. A request
 *       that is not a reply also counts for its route: method and the URL's path without query or fragment, at
 *       most {@value EdgeStats.Http#MAX_ROUTES} routes per window; requests beyond them, with a route too long to
 *       keep, or without a method or URL count in {@code routesOther}, so the window's value stays bounded.</li>
 *   <li>DNS: a query is a DNS flow that is not a response; a failure is a response with a non-zero rcode.</li>
 *   <li>Latency: every L7 flow for which Hubble measured one (responses).</li>
 *   <li>Replies (when the ingest keeps them) belong to the edge of the request they answer
 *       ({@link EdgeKey}) and add only what only they carry: HTTP status classes, DNS failures, latency,
 *       encryption, the reporting node and the time seen. Flows, verdicts, drop reasons and TCP flags count
 *       the requests, so an edge's flows are the same whether replies are kept or not.</li>
 * </ul>
 */
public final class EdgeFigures {

    private static final int SYN = TcpFlag.TCP_SYN_VALUE;
    private static final int RST = TcpFlag.TCP_RST_VALUE;

    private EdgeFigures() {
    }

    /** The figures of a window without any flow yet: a new instance every time, the aggregation changes it. */
    static EdgeTally empty() {
        return new EdgeTally();
    }

    /** The figures with one more flow counted (the same instance, changed). */
    static EdgeTally add(EdgeTally t, FlowView flow) {
        long time = flow.timeUnixNanos();
        boolean reply = flow.reply();
        if (t.lastSeenNanos == 0) {
            // The edge's first flow names it, from the side that opened the connection.
            GraphNode client = EndpointNames.of((reply ? flow.destination() : flow.source()).ref());
            GraphNode server = EndpointNames.of((reply ? flow.source() : flow.destination()).ref());
            t.setNames(client.id(), server.id(), client.namespace(), server.namespace());
            t.protocol = flow.protocol();
            t.port = reply ? flow.sourcePort() : flow.destinationPort();
            t.firstSeenNanos = time;
            t.lastSeenNanos = time;
        } else {
            t.firstSeenNanos = Math.min(t.firstSeenNanos, time);
            t.lastSeenNanos = Math.max(t.lastSeenNanos, time);
        }
        if (!reply) {
            t.flows++;
            t.verdicts.add(flow.verdict());
            if (flow.dropReason() != 0) {
                t.dropReasons.add(flow.dropReason());
            }
            if ((flow.tcpFlags() & SYN) != 0) {
                t.tcpSyn++;
            }
            if ((flow.tcpFlags() & RST) != 0) {
                t.tcpRst++;
            }
        }
        if (flow.l7() != null) {
            addL7(t, flow.l7(), reply);
        }
        t.encrypted |= flow.encrypted();
        if (!flow.nodeName().isEmpty()) {
            t.addNode(flow.nodeName());
        }
        return t;
    }

    private static void addL7(EdgeTally t, L7Record l7, boolean reply) {
        boolean response = l7.getType() == L7FlowType.RESPONSE;
        if (l7.hasHttp()) {
            int code = l7.getHttp().getCode();
            if (code > 0) {
                t.addStatusClass(code / 100);
            } else if (!response) {
                t.httpRequests++;
                if (!reply) {
                    addRoute(t, l7.getHttp());
                }
            }
        } else if (l7.hasDns()) {
            if (l7.getDns().getRcode() != 0) {
                t.dnsFailures++;
            } else if (!response) {
                t.dnsQueries++;
            }
        }
        if (l7.getLatencyNs() > 0) {
            t.latencyCount++;
            t.latencySumNs += l7.getLatencyNs();
            t.latencyMaxNs = Math.max(t.latencyMaxNs, l7.getLatencyNs());
        }
    }

    private static void addRoute(EdgeTally t, HttpRecord http) {
        String path = path(http.getUrl());
        if (http.getMethod().isEmpty() || path.isEmpty()) {
            t.routesOther++;
        } else {
            t.addRoute(http.getMethod(), path);
        }
    }

    /**
     * The path of a URL as Hubble gives it ({@code http://cart.shop:8080/api/cart?id=1}, or just
     * {@code /api/cart?id=1}): without scheme, authority, query and fragment; "/" when the URL names a host only,
     * "" when there is no URL.
     */
    static String path(String url) {
        int end = url.length();
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) == '?' || url.charAt(i) == '#') {
                end = i;
                break;
            }
        }
        String s = url.substring(0, end);
        int scheme = s.indexOf("://");
        if (scheme >= 0 && s.indexOf('/') > scheme) {
            int slash = s.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : s.substring(slash);
        }
        return s.isEmpty() && !url.isEmpty() ? "/" : s;
    }

    /** The stored figures as the model reads them. */
    static EdgeStats stats(EdgeTally t) {
        Map<String, Long> verdicts = new TreeMap<>();
        for (int i = 0; i < t.verdicts.size; i++) {
            verdicts.merge(verdictName(t.verdicts.codes[i]), t.verdicts.counts[i], Long::sum);
        }
        Map<String, Long> dropReasons = new TreeMap<>();
        for (int i = 0; i < t.dropReasons.size; i++) {
            dropReasons.merge(dropReasonName(t.dropReasons.codes[i]), t.dropReasons.counts[i], Long::sum);
        }
        Map<String, Long> status = new TreeMap<>();
        for (int c = 0; c < t.httpStatusClasses.length; c++) {
            if (t.httpStatusClasses[c] > 0) {
                status.put(c + "xx", t.httpStatusClasses[c]);
            }
        }
        L4Protocol protocol = L4Protocol.forNumber(t.protocol);
        String[] names = t.names();
        return new EdgeStats(names[0], names[1], names[2], names[3], protocol == null ? String.valueOf(t.protocol) : protocol.name(),
                t.port, t.flows, verdicts, dropReasons, new EdgeStats.Tcp(t.tcpSyn, t.tcpRst),
                new EdgeStats.Http(t.httpRequests, status, routes(t), t.routesOther), new EdgeStats.Dns(t.dnsQueries, t.dnsFailures),
                new EdgeStats.Latency(t.latencyCount, t.latencySumNs, t.latencyMaxNs), t.encrypted,
                List.of(t.nodes), instant(t.firstSeenNanos), instant(t.lastSeenNanos));
    }

    private static List<EdgeStats.Route> routes(EdgeTally t) {
        List<EdgeStats.Route> routes = new ArrayList<>(t.routes.size);
        for (int i = 0; i < t.routes.size; i++) {
            String[] parts = EdgeTally.Routes.parts(t.routes.keys[i]);
            routes.add(new EdgeStats.Route(parts[0], parts[1], t.routes.counts[i]));
        }
        return routes;
    }

    /** Reads a stored value (as IQv2 hands it out) as the model reads it. */
    public static EdgeStats stats(Object stored) {
        return stats((EdgeTally) stored);
    }

    /** Hubble's name of a verdict; a number we do not know stays a number (proto3 enums are open). */
    static String verdictName(int number) {
        Verdict v = Verdict.forNumber(number);
        return v == null ? String.valueOf(number) : v.name();
    }

    static String dropReasonName(int number) {
        DropReason r = DropReason.forNumber(number);
        return r == null ? String.valueOf(number) : r.name();
    }

    static Instant instant(long unixNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L));
    }
}
