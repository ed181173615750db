package io.hubbletopology.graph;

import java.util.Objects;

import io.hubbletopology.records.FlowRecord;

/**
 * One edge of the topology graph: source node, destination node, L4 protocol and destination port. Its
 * {@link #text()} is the key of a flows-topic record, so that every flow of one edge lands in one partition and
 * the processor aggregates without repartitioning, and the key of the edge's store entries and answers.
 * Form: {@code <source node id> -> <destination node id> <protocol>/<destination port>}.
 * An edge is seen from the side that opened the connection: a reply (Hubble's {@code is_reply}) travels from
 * the server back to the client's ephemeral port, so it belongs to the edge client -> server on the reply's
 * source port, where its HTTP status and latency describe the requests made on that edge.
 *
 * <pre>{@code
 * EdgeKey key = EdgeKey.of(flow);
 * producer.send(new ProducerRecord<>(topics.flows(), key.text(), flow.toByteArray()));
 * }</pre>
 *
 * @param src      the source node's id ({@link GraphNode#id()})
 * @param dst      the destination node's id
 * @param protocol TCP, UDP, ICMPV4, ...
 * @param port     the destination port (0 for ICMP)
 */
public record EdgeKey(String src, String dst, String protocol, int port) {

    public EdgeKey {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** The edge a flow counts towards, from the side that opened the connection. */
    public static EdgeKey of(FlowRecord flow) {
        if (isReply(flow)) {
            return new EdgeKey(EndpointNames.of(flow.getDestination()).id(), EndpointNames.of(flow.getSource()).id(),
                    flow.getProtocol().name(), flow.getSourcePort());
        }
        return new EdgeKey(EndpointNames.of(flow.getSource()).id(), EndpointNames.of(flow.getDestination()).id(),
                flow.getProtocol().name(), flow.getDestinationPort());
    }

    /** Whether Hubble marked the flow as a reply; a flow it could not tell about counts as a request. */
    public static boolean isReply(FlowRecord flow) {
        return flow.hasIsReply() && flow.getIsReply();
    }

    /** The key as text: {@code <src> -> <dst> <protocol>/<port>}. */
    public String text() {
        return src + " -> " + dst + " " + protocol + "/" + port;
    }

    @Override
    public String toString() {
        return text();
    }
}
