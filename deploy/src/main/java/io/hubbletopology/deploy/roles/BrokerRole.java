package io.hubbletopology.deploy.roles;

import java.time.Duration;
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

    @Override
    public void stop() {
        Role.close(broker, cluster);
    }
}
