package io.hubbletopology.model;

import io.hubbletopology.records.FlowRecord;

/**
 * The key of a flows-topic record: the topology edge the flow counts towards, so that every flow of one edge
 * lands in one partition and the processor aggregates without repartitioning.
 * Form: {@code <source node id> -> <destination node id> <protocol>/<destination port>}.
 * An edge is seen from the side that opened the connection: a reply (Hubble's {@code is_reply}) travels from
 * the server back to the client's ephemeral port, so it belongs to the edge client -> server on the reply's
 * source port, where its HTTP status and latency describe the requests made on that edge.
 */
public final class EdgeKeys {

    private EdgeKeys() {
    }

    public static String of(FlowRecord flow) {
        if (isReply(flow)) {
            return of(EndpointNames.of(flow.getDestination()).id(), EndpointNames.of(flow.getSource()).id(),
                    flow.getProtocol().name(), flow.getSourcePort());
        }
        return of(EndpointNames.of(flow.getSource()).id(), EndpointNames.of(flow.getDestination()).id(),
                flow.getProtocol().name(), flow.getDestinationPort());
    }

    /** Whether Hubble marked the flow as a reply; a flow it could not tell about counts as a request. */
    public static boolean isReply(FlowRecord flow) {
        return flow.hasIsReply() && flow.getIsReply();
    }

    public static String of(String source, String destination, String protocol, int port) {
        return source + " -> " + destination + " " + protocol + "/" + port;
    }
}
