package io.hubbletopology.deploy.roles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.broker.KafkaCluster;

/**
 * A real Kafka cluster for this machine: one node in this process, or several, each a child process of its
 * own ({@link KafkaCluster}) so that one can be killed alone.
 */
public final class BrokerRole implements Role {

    private static final Duration CLUSTER_READY_WITHIN = Duration.ofMinutes(2);

    private final BrokerSettings settings;
    private EmbeddedKafkaBroker broker;
    private KafkaCluster cluster;

    public BrokerRole(BrokerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start() {
        if (settings.nodes() == 1) {
            broker = EmbeddedKafkaBroker.start(settings);
        } else {
            cluster = KafkaCluster.start(settings, CLUSTER_READY_WITHIN);
        }
    }

    /** Every node's address, comma-separated, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return cluster != null ? cluster.bootstrapServers() : broker.bootstrapServers();
    }

    /** The nodes of a cluster (empty for one node in this process). */
    public List<KafkaCluster.Node> nodes() {
        return cluster != null ? cluster.nodes() : List.of();
    }

    /** Each node of a cluster with its process, then where clients connect. */
    @Override
    public List<String> readyLines() {
        List<String> lines = new ArrayList<>();
        for (KafkaCluster.Node node : nodes()) {
            lines.add("Kafka node " + node.nodeId() + " on " + node.address() + " (pid " + node.process().pid() + ")");
        }
        lines.add("Kafka broker ready on " + bootstrapServers() + " (data in " + settings.dataDir() + "). Ctrl-C stops it.");
        return lines;
    }

    @Override
    public void stop() {
        Role.close(broker, cluster);
    }
}
