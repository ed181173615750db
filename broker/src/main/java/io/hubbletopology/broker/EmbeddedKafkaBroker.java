package io.hubbletopology.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.topics.ReplicationPlan;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Kafka broker in this JVM: one KRaft node that is both broker and controller, built from the
 * broker's own classes on Maven Central, so nothing has to be downloaded or installed. Alone it is a
 * one-node cluster; {@link #startNode} makes it one member of a {@link KafkaQuorum}.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir))) {
 *     producerProps.put("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * Its data directory is formatted on first use and reused afterwards, so a broker restarted on the same
 * directory keeps its topics and offsets.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int SINGLE_NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /** Formats the data directory if it is new, starts the broker and returns once it is started. */
    public static EmbeddedKafkaBroker start(BrokerSettings settings) {
        int port = settings.port() == 0 ? freePort(settings.host()) : settings.port();
        int controllerPort = freePort("127.0.0.1");
        String voters = SINGLE_NODE_ID + "@127.0.0.1:" + controllerPort;
        return start(new NodeLayout(SINGLE_NODE_ID, settings.host(), port, "127.0.0.1", controllerPort, voters,
                ReplicationPlan.forBrokers(1)), settings.dataDir(), settings.partitions(), Uuid.randomUuid().toString());
    }

    /**
     * Starts node {@code nodeId} of a {@link KafkaQuorum}, in this JVM; {@link KafkaCluster} runs each node so,
     * in a process of its own. A new data directory is formatted with {@code clusterId}, which every node of
     * the cluster must share.
     */
    public static EmbeddedKafkaBroker startNode(KafkaQuorum quorum, int nodeId, Path dataDir, int partitions, String clusterId) {
        KafkaQuorum.Member member = quorum.member(nodeId);
        return start(new NodeLayout(nodeId, quorum.host(), member.port(), quorum.host(), member.controllerPort(),
                quorum.voters(), quorum.replication()), dataDir, partitions, clusterId);
    }

    private record NodeLayout(int nodeId, String host, int port, String controllerHost, int controllerPort,
                              String voters, ReplicationPlan internalTopics) {
    }

    private static EmbeddedKafkaBroker start(NodeLayout node, Path dataDir, int partitions, String clusterId) {
        Path logDir = dataDir.toAbsolutePath().resolve("kraft-logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker data directory " + logDir, e);
        }
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(node, logDir, partitions), false);
        format(config, node.nodeId(), logDir, clusterId);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = node.host() + ":" + node.port();
        log.info("Kafka node {} started on {} (data in {})", node.nodeId(), bootstrap, dataDir);
        return new EmbeddedKafkaBroker(server, bootstrap, dataDir);
    }

    private static Properties serverProperties(NodeLayout node, Path logDir, int partitions) {
        String listener = "PLAINTEXT://" + node.host() + ":" + node.port();
        String controller = CONTROLLER_LISTENER + "://" + node.controllerHost() + ":" + node.controllerPort();
        String replicas = String.valueOf(node.internalTopics().replicationFactor());
        String minIsr = String.valueOf(node.internalTopics().minInsyncReplicas());
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node.nodeId()));
        p.put("controller.quorum.voters", node.voters());
        p.put("listeners", listener + "," + controller);
        p.put("advertised.listeners", listener);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", String.valueOf(partitions));
        // Internal topics, and topics created without a replication factor (Kafka Streams' by default), get
        // the replication the roles give theirs (ReplicationPlan): 3 and min ISR 2 from three nodes on.
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        // Nobody else will join the group: don't make the first consumer wait for them.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(KafkaConfig config, int nodeId, Path logDir, String clusterId) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            // Formatted before: keep its cluster id, topics and offsets.
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the broker data directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    /** host:port for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down and waits for it; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka node on {} stopped", bootstrapServers);
    }
}
