package io.hubbletopology.topics;

import java.util.Objects;

/**
 * The names of every topic the system reads or writes. One instance is built from configuration and
 * handed to each role, so a renamed topic is renamed everywhere at once.
 *
 * @param flows           raw flows from the ingest agents (protobuf {@code FlowRecord}, key: the edge, see
 *                        {@link io.hubbletopology.graph.EdgeKey})
 * @param links           link states from the ingest agents (protobuf {@code LinkStateRecord}, key:
 *                        node/interface), compacted
 * @param lostEvents      gaps Hubble reported in its own buffers, as the agents saw them
 * @param deadLetter      records the processor could not use, with headers saying why and where from
 * @param edgeUpdates     JSON edge figures per window, for downstream consumers (TSDB sinks, the live feed)
 * @param linkChanges     JSON link state changes, for downstream consumers
 * @param workloadChanges JSON workload inventory changes, for downstream consumers
 * @param live            the processor's provisional edge and link states for the API's live feed, published every
 *                        live interval outside any transaction; internal, short retention
 */
public record TopicNames(String flows, String links, String lostEvents, String deadLetter, String edgeUpdates,
                         String linkChanges, String workloadChanges, String live) {

    public static final String DEFAULT_FLOWS = "hubble.flows";
    public static final String DEFAULT_LINKS = "hubble.links";
    public static final String DEFAULT_LOST_EVENTS = "hubble.lost-events";
    public static final String DEFAULT_DEAD_LETTER = "hubble-topology.dlq";
    public static final String DEFAULT_EDGE_UPDATES = "topology.edges";
    public static final String DEFAULT_LINK_CHANGES = "topology.links";
    public static final String DEFAULT_WORKLOAD_CHANGES = "topology.workloads";
    public static final String DEFAULT_LIVE = "hubble-topology.live";

    public TopicNames {
        Objects.requireNonNull(flows, "flows");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(lostEvents, "lostEvents");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(edgeUpdates, "edgeUpdates");
        Objects.requireNonNull(linkChanges, "linkChanges");
        Objects.requireNonNull(workloadChanges, "workloadChanges");
        Objects.requireNonNull(live, "live");
    }

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_FLOWS, DEFAULT_LINKS, DEFAULT_LOST_EVENTS, DEFAULT_DEAD_LETTER,
                DEFAULT_EDGE_UPDATES, DEFAULT_LINK_CHANGES, DEFAULT_WORKLOAD_CHANGES, DEFAULT_LIVE);
    }

    /** Every name with a prefix, so tests and several deployments can share one Kafka cluster. */
    public static TopicNames prefixed(String prefix) {
        TopicNames d = defaults();
        return new TopicNames(prefix + d.flows, prefix + d.links, prefix + d.lostEvents, prefix + d.deadLetter,
                prefix + d.edgeUpdates, prefix + d.linkChanges, prefix + d.workloadChanges, prefix + d.live);
    }
}
