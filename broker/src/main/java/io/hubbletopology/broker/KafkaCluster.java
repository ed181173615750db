package io.hubbletopology.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An N-node KRaft cluster on one machine, each node (broker and controller) a child process of this one with
 * its own data directory {@code DATA_DIR/node-ID}, so one node can be killed alone as a machine would fail.
 * Ports follow {@link KafkaQuorum}. A node that dies is reported, not restarted: the cluster goes on with the
 * others, as a real one would until its operator brings the node back.
 *
 * <pre>{@code
 * try (KafkaCluster cluster = KafkaCluster.start(new BrokerSettings("127.0.0.1", 9092, dir, 3, 3), Duration.ofMinutes(2))) {
 *     cluster.bootstrapServers();   // 127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094
 * }
 * }</pre>
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    /**
     * Per node: the embedded broker needs little, and several nodes share one machine, so one GC thread and
     * the quick compiler only (a local cluster's brokers are not where the throughput of the system is decided).
     */
    private static final List<String> NODE_JVM = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** A running node: its id, client address and process. */
    public record Node(int nodeId, String address, Process process) {
    }

    private final KafkaQuorum quorum;
    private final List<Node> nodes;
    private volatile boolean stopping;

    private KafkaCluster(KafkaQuorum quorum, List<Node> nodes) {
        this.quorum = quorum;
        this.nodes = nodes;
    }

    /** Starts every node and returns once all of them are registered with the quorum's controller. */
    public static KafkaCluster start(BrokerSettings settings, Duration readyWithin) {
        KafkaQuorum quorum = new KafkaQuorum(settings.host(), settings.port(), settings.nodes());
        String clusterId = clusterId(settings.dataDir());
        List<Node> nodes = new ArrayList<>();
        KafkaCluster cluster = new KafkaCluster(quorum, nodes);
        try {
            for (KafkaQuorum.Member member : quorum.members()) {
                Path dir = settings.dataDir().toAbsolutePath().resolve("node-" + member.nodeId());
                nodes.add(new Node(member.nodeId(), quorum.host() + ":" + member.port(),
                        launch(KafkaNodeMain.arguments(quorum, member.nodeId(), dir, settings.partitions(), clusterId))));
            }
            nodes.forEach(cluster::reportExit);
            cluster.awaitRegistered(readyWithin);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        log.info("Kafka cluster of {} nodes ready on {}", quorum.nodes(), quorum.bootstrapServers());
        return cluster;
    }

    /** The cluster id every node is formatted with: made once, then kept beside the nodes' directories. */
    private static String clusterId(Path dataDir) {
        Path file = dataDir.resolve("cluster.id");
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the cluster id in " + file, e);
        }
    }

    private static Process launch(List<String> nodeArguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(NODE_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName()));
        command.addAll(nodeArguments);
        try {
            // The nodes write where the role writes: one log for the operator to read.
            return new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a Kafka node: " + e.getMessage(), e);
        }
    }

    private void reportExit(Node node) {
        node.process().onExit().thenAccept(p -> {
            if (!stopping) {
                log.warn("Kafka node {} on {} (pid {}) exited with {}; the cluster goes on without it", node.nodeId(),
                        node.address(), p.pid(), p.exitValue());
            }
        });
    }

    private void awaitRegistered(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, quorum.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            while (true) {
                for (Node node : nodes) {
                    if (!node.process().isAlive()) {
                        throw new IllegalStateException("Kafka node " + node.nodeId() + " exited with "
                                + node.process().exitValue() + " while the cluster started");
                    }
                }
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == quorum.nodes()) {
                        return;
                    }
                } catch (Exception e) {
                    // Not up yet, or no controller elected yet: ask again.
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the Kafka cluster on " + quorum.bootstrapServers()
                            + " did not register all " + quorum.nodes() + " nodes within " + within);
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Kafka cluster started", e);
        }
    }

    public String bootstrapServers() {
        return quorum.bootstrapServers();
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** SIGTERM to every node at once, then up to 30 seconds for them to stop before SIGKILL. */
    @Override
    public void close() {
        stopping = true;
        nodes.forEach(n -> n.process().destroy());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Node node : nodes) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!node.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    log.warn("Kafka node {} did not stop within 30s; killing it", node.nodeId());
                    node.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.process().destroyForcibly();
            }
        }
        log.info("Kafka cluster on {} stopped", quorum.bootstrapServers());
    }
}
