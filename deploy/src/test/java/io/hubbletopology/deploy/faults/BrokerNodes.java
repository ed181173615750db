package io.hubbletopology.deploy.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartitionInfo;

import io.hubbletopology.deploy.JarProcess;

/**
 * The nodes of a {@code broker --nodes N} role, found from the lines it prints ("Kafka node 2 on
 * 127.0.0.1:9093 (pid 4711)"): killed one at a time with SIGKILL, as a machine fails, and started again with
 * the command line the role gave them, on the same ports and data directory.
 */
final class BrokerNodes implements AutoCloseable {

    private static final Pattern NODE_LINE = Pattern.compile("Kafka node (\\d+) on (\\S+) \\(pid (\\d+)\\)");

    private final Map<Integer, ProcessHandle> running = new HashMap<>();
    private final Map<Integer, List<String>> commands = new HashMap<>();
    private final List<Process> restarted = new ArrayList<>();
    private final Admin admin;

    private BrokerNodes(String bootstrap) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** Reads the role's nodes once it is ready; their command lines are kept for restarts. */
    static BrokerNodes of(JarProcess role, String bootstrap, int count) throws IOException {
        BrokerNodes nodes = new BrokerNodes(bootstrap);
        Matcher m = NODE_LINE.matcher(role.stdout());
        while (m.find()) {
            int id = Integer.parseInt(m.group(1));
            ProcessHandle handle = ProcessHandle.of(Long.parseLong(m.group(3))).orElseThrow();
            List<String> command = new ArrayList<>();
            command.add(handle.info().command().orElseThrow());
            command.addAll(Arrays.asList(handle.info().arguments().orElseThrow()));
            nodes.running.put(id, handle);
            nodes.commands.put(id, command);
        }
        if (nodes.running.size() != count) {
            throw new IllegalStateException("the broker role printed " + nodes.running.size() + " nodes, not " + count);
        }
        return nodes;
    }

    /** The node other than {@code except} that leads the most partitions of {@code topic} (0: none excepted). */
    int busiestLeader(String topic, int except) throws Exception {
        Map<Integer, Integer> led = new HashMap<>();
        for (TopicPartitionInfo p : admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()) {
            if (p.leader().id() != except) {
                led.merge(p.leader().id(), 1, Integer::sum);
            }
        }
        return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** The node that leads the KRaft quorum: the active controller. */
    int activeController() throws Exception {
        return admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
    }

    /**
     * SIGKILL, then until the controller has fenced the node (its session timed out): only then have its
     * leaderships moved and its replicas left the ISRs, and only then does a restart show it coming back.
     */
    void kill(int nodeId, Duration fencedWithin) {
        ProcessHandle node = running.remove(nodeId);
        node.destroyForcibly();
        node.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        await().atMost(fencedWithin).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> registered().stream().noneMatch(n -> n.id() == nodeId));
    }

    private java.util.Collection<org.apache.kafka.common.Node> registered() throws Exception {
        return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
    }

    /** Starts a killed node again as the role had started it; its output goes beside the role's. */
    void restart(int nodeId, String name) throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "it-processes"));
        Process process = new ProcessBuilder(commands.get(nodeId))
                .redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile())
                .start();
        restarted.add(process);
        running.put(nodeId, process.toHandle());
    }

    /** Until the cluster's controller has every node registered and unfenced again. */
    void awaitAll(int count, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> registered().size() == count);
    }

    /** Until no partition of {@code topic} lacks a replica in its ISR: the restarted node has caught up. */
    void awaitFullyReplicated(String topic, int replicas, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic)
                        .partitions().stream().allMatch(p -> p.isr().size() == replicas));
    }

    Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        for (Process p : restarted) {
            p.destroy();
        }
        for (Process p : restarted) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
