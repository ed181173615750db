package io.hubbletopology.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import io.hubbletopology.topics.TopicNames;

/**
 * Everything the ingest agent needs, parsed and validated once at start.
 *
 * @param bootstrapServers   Kafka's bootstrap servers
 * @param kafkaProperties    extra Kafka client properties (SASL, SSL, ...), passed through as they are
 * @param nodeName           this node's name, for link states and flows that do not carry one
 * @param mode               what to discover
 * @param hubble             how to read Hubble; null when the mode does not include it
 * @param sysfsRoot          where the interfaces are ({@code /sys/class/net}, or the host's mounted elsewhere)
 * @param pollInterval       how often sysfs is read
 * @param snapshotInterval   how often every interface is published, changed or not
 * @param topics             topic names
 * @param partitions         partitions of topics the agent creates
 * @param replicationFactor  replication factor of topics the agent creates
 * @param flowsRetention     retention of the flows topic when the agent creates it
 */
public record IngestConfig(String bootstrapServers, Map<String, Object> kafkaProperties, String nodeName,
                           DiscoveryMode mode, HubbleSourceSettings hubble, Path sysfsRoot, Duration pollInterval,
                           Duration snapshotInterval, TopicNames topics, int partitions, short replicationFactor,
                           Duration flowsRetention) {

    public static final Path DEFAULT_SYSFS_ROOT = Path.of("/sys/class/net");

    public IngestConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(mode, "mode");
        if (mode.hubble() && hubble == null) {
            throw new IllegalArgumentException("discovery mode " + mode.label() + " needs a Hubble address");
        }
        Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        Objects.requireNonNull(topics, "topics");
    }
}
