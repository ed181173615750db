package io.hubbletopology.topics;

import java.util.Objects;

/**
 * The names of every topic the system reads or writes. One instance is built from configuration and
 * handed to each role, so a renamed topic is renamed everywhere at once.
 *
 * @param flows     raw flows from the ingest agents (protobuf {@code FlowRecord}, key: the edge, see
 *                  {@link io.hubbletopology.model.EdgeKeys})
 * @param links     link states from the ingest agents (protobuf {@code LinkStateRecord}, key: node/interface),
 *                  compacted
 * @param deadLetter records the processor could not use, with headers saying why and where from
 */
public record TopicNames(String flows, String links, String deadLetter) {

    public static final String DEFAULT_FLOWS = "hubble.flows";
    public static final String DEFAULT_LINKS = "hubble.links";
    public static final String DEFAULT_DEAD_LETTER = "hubble-topology.dlq";

    public TopicNames {
        Objects.requireNonNull(flows, "flows");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(deadLetter, "deadLetter");
    }

    public static TopicNames defaults() {
        return new TopicNames(DEFAULT_FLOWS, DEFAULT_LINKS, DEFAULT_DEAD_LETTER);
    }
}
