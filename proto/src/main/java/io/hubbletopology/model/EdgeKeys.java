package io.hubbletopology.model;

import io.hubbletopology.records.FlowRecord;

/**
 * The key of a flows-topic record: the topology edge the flow counts towards, so that every flow of one edge
 * lands in one partition and the processor aggregates without repartitioning.
 * Form: {@code <source node id> -> <destination node id> <protocol>/<destination port>}.
 */
public final class EdgeKeys {

    private EdgeKeys() {
    }

    public static String of(FlowRecord flow) {
        return of(EndpointNames.of(flow.getSource()).id(), EndpointNames.of(flow.getDestination()).id(),
                flow.getProtocol().name(), flow.getDestinationPort());
    }

    public static String of(String source, String destination, String protocol, int port) {
        return source + " -> " + destination + " " + protocol + "/" + port;
    }
}
