package io.hubbletopology.processor.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.model.EndpointNames;
import io.hubbletopology.model.GraphNode;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.records.EdgeAggregate;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.TcpFlag;

/**
 * How one flow adds to an edge's figures, and how the stored figures read as {@link EdgeStats}.
 * <ul>
 *   <li>HTTP: a request is an HTTP flow without a status code; a response counts in its status class.</li>
 *   <li>DNS: a query is a DNS flow that is not a response; a failure is a response with a non-zero rcode.</li>
 *   <li>Latency: every L7 flow for which Hubble measured one (responses).</li>
 * </ul>
 */
public final class EdgeFigures {

    private static final int SYN = TcpFlag.TCP_SYN_VALUE;
    private static final int RST = TcpFlag.TCP_RST_VALUE;

    private EdgeFigures() {
    }

    /** The figures of a window without any flow yet. */
    public static EdgeAggregate empty() {
        return EdgeAggregate.getDefaultInstance();
    }

    /** The figures with one more flow counted. */
    public static EdgeAggregate add(EdgeAggregate figures, FlowRecord flow) {
        EdgeAggregate.Builder b = figures.toBuilder();
        long time = flow.getTimeUnixNanos();
        if (figures.getFlows() == 0) {
            GraphNode source = EndpointNames.of(flow.getSource());
            GraphNode destination = EndpointNames.of(flow.getDestination());
            b.setSrc(source.id()).setDst(destination.id())
                    .setSrcNamespace(source.namespace()).setDstNamespace(destination.namespace())
                    .setProtocol(flow.getProtocol()).setPort(flow.getDestinationPort())
                    .setFirstSeenUnixNanos(time).setLastSeenUnixNanos(time);
        } else {
            b.setFirstSeenUnixNanos(Math.min(figures.getFirstSeenUnixNanos(), time))
                    .setLastSeenUnixNanos(Math.max(figures.getLastSeenUnixNanos(), time));
        }
        b.setFlows(figures.getFlows() + 1);
        b.putVerdicts(flow.getVerdictValue(), figures.getVerdictsOrDefault(flow.getVerdictValue(), 0) + 1);
        if (flow.getDropReasonValue() != 0) {
            b.putDropReasons(flow.getDropReasonValue(), figures.getDropReasonsOrDefault(flow.getDropReasonValue(), 0) + 1);
        }
        if ((flow.getTcpFlags() & SYN) != 0) {
            b.setTcpSyn(figures.getTcpSyn() + 1);
        }
        if ((flow.getTcpFlags() & RST) != 0) {
            b.setTcpRst(figures.getTcpRst() + 1);
        }
        if (flow.hasL7()) {
            addL7(figures, b, flow.getL7());
        }
        if (flow.getEncrypted()) {
            b.setEncrypted(true);
        }
        addNode(figures, b, flow.getNodeName());
        return b.build();
    }

    private static void addL7(EdgeAggregate figures, EdgeAggregate.Builder b, L7Record l7) {
        boolean response = l7.getType() == L7FlowType.RESPONSE;
        if (l7.hasHttp()) {
            int code = l7.getHttp().getCode();
            if (code > 0) {
                int statusClass = code / 100;
                b.putHttpStatusClasses(statusClass, figures.getHttpStatusClassesOrDefault(statusClass, 0) + 1);
            } else if (!response) {
                b.setHttpRequests(figures.getHttpRequests() + 1);
            }
        } else if (l7.hasDns()) {
            if (l7.getDns().getRcode() != 0) {
                b.setDnsFailures(figures.getDnsFailures() + 1);
            } else if (!response) {
                b.setDnsQueries(figures.getDnsQueries() + 1);
            }
        }
        if (l7.getLatencyNs() > 0) {
            b.setLatencyCount(figures.getLatencyCount() + 1)
                    .setLatencySumNs(figures.getLatencySumNs() + l7.getLatencyNs())
                    .setLatencyMaxNs(Math.max(figures.getLatencyMaxNs(), l7.getLatencyNs()));
        }
    }

    private static void addNode(EdgeAggregate figures, EdgeAggregate.Builder b, String node) {
        if (node.isEmpty()) {
            return;
        }
        List<String> nodes = figures.getNodesList();
        int at = Collections.binarySearch(nodes, node);
        if (at < 0) {
            List<String> sorted = new ArrayList<>(nodes);
            sorted.add(-at - 1, node);
            b.clearNodes().addAllNodes(sorted);
        }
    }

    /** The stored figures as the model reads them. */
    public static EdgeStats stats(EdgeAggregate a) {
        Map<String, Long> verdicts = new TreeMap<>();
        a.getVerdictsMap().forEach((number, n) -> verdicts.put(verdictName(number), n));
        Map<String, Long> dropReasons = new TreeMap<>();
        a.getDropReasonsMap().forEach((number, n) -> dropReasons.put(dropReasonName(number), n));
        Map<String, Long> status = new TreeMap<>();
        a.getHttpStatusClassesMap().forEach((cls, n) -> status.put(cls + "xx", n));
        return new EdgeStats(a.getSrc(), a.getDst(), a.getSrcNamespace(), a.getDstNamespace(), a.getProtocol().name(),
                a.getPort(), a.getFlows(), verdicts, dropReasons, new EdgeStats.Tcp(a.getTcpSyn(), a.getTcpRst()),
                new EdgeStats.Http(a.getHttpRequests(), status), new EdgeStats.Dns(a.getDnsQueries(), a.getDnsFailures()),
                new EdgeStats.Latency(a.getLatencyCount(), a.getLatencySumNs(), a.getLatencyMaxNs()), a.getEncrypted(),
                a.getNodesList(), instant(a.getFirstSeenUnixNanos()), instant(a.getLastSeenUnixNanos()));
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
