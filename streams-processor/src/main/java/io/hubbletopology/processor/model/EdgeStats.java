package io.hubbletopology.processor.model;

import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.model.EndpointNames;
import io.hubbletopology.model.GraphNode;
import io.hubbletopology.records.FlowRecord;

/**
 * What one edge (source node, destination node, L4 protocol, destination port) carried in one window.
 *
 * @param src          the source node's id
 * @param dst          the destination node's id
 * @param srcNamespace the source's namespace ("" outside the cluster's pods)
 * @param dstNamespace the destination's namespace
 * @param protocol     TCP, UDP, ICMPV4, ...
 * @param port         the destination port (0 for ICMP)
 * @param flows        flows counted
 * @param forwarded    of which forwarded
 * @param dropped      of which dropped
 * @param firstSeenMs  the earliest flow time, epoch millis
 * @param lastSeenMs   the latest flow time, epoch millis
 */
public record EdgeStats(String src, String dst, String srcNamespace, String dstNamespace, String protocol, int port,
                        long flows, long forwarded, long dropped, long firstSeenMs, long lastSeenMs) {

    /** The aggregate of no flow yet: the initializer of a window. */
    public static EdgeStats empty() {
        return new EdgeStats("", "", "", "", "", 0, 0, 0, 0, Long.MAX_VALUE, 0);
    }

    /** This aggregate with one more flow counted. */
    public EdgeStats add(FlowRecord flow) {
        long timeMs = flow.getTimeUnixNanos() / 1_000_000L;
        String s = src;
        String d = dst;
        String sNs = srcNamespace;
        String dNs = dstNamespace;
        if (flows == 0) {
            GraphNode source = EndpointNames.of(flow.getSource());
            GraphNode destination = EndpointNames.of(flow.getDestination());
            s = source.id();
            d = destination.id();
            sNs = source.namespace();
            dNs = destination.namespace();
        }
        return new EdgeStats(s, d, sNs, dNs, flow.getProtocol().name(), flow.getDestinationPort(), flows + 1,
                forwarded + (flow.getVerdict() == Verdict.FORWARDED ? 1 : 0),
                dropped + (flow.getVerdict() == Verdict.DROPPED ? 1 : 0),
                Math.min(firstSeenMs, timeMs), Math.max(lastSeenMs, timeMs));
    }

    /** The sum of two aggregates of the same edge (e.g. two windows). */
    public EdgeStats merge(EdgeStats other) {
        if (flows == 0) {
            return other;
        }
        if (other.flows == 0) {
            return this;
        }
        return new EdgeStats(src, dst, srcNamespace, dstNamespace, protocol, port, flows + other.flows,
                forwarded + other.forwarded, dropped + other.dropped, Math.min(firstSeenMs, other.firstSeenMs),
                Math.max(lastSeenMs, other.lastSeenMs));
    }
}
