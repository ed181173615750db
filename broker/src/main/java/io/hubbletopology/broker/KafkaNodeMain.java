package io.hubbletopology.broker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import io.hubbletopology.threads.DaemonThreads;

/**
 * One node of a {@link KafkaCluster}, in the process {@link KafkaCluster} starts for it (not a role for
 * operators: the broker role with {@code --nodes} starts these):
 *
 * <pre>
 * java -cp hubble-topology.jar io.hubbletopology.broker.KafkaNodeMain --node-id 2 --nodes 3 --host 127.0.0.1 \
 *     --base-port 9092 --data-dir /var/lib/kafka/node-2 --partitions 3 --cluster-id ...
 * </pre>
 *
 * It stops on SIGTERM, and by itself when the process that started it is gone, so a killed broker role
 * leaves no node behind.
 */
public final class KafkaNodeMain {

    private static final List<String> OPTIONS = List.of("--node-id", "--nodes", "--host", "--base-port", "--data-dir",
            "--partitions", "--cluster-id");
    private static final long ORPHAN_STOP_WITHIN_MS = 20_000;

    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = parse(args);
        KafkaQuorum quorum = new KafkaQuorum(options.get("--host"), Integer.parseInt(options.get("--base-port")),
                Integer.parseInt(options.get("--nodes")));
        EmbeddedKafkaBroker node = EmbeddedKafkaBroker.startNode(quorum, Integer.parseInt(options.get("--node-id")),
                Path.of(options.get("--data-dir")), Integer.parseInt(options.get("--partitions")), options.get("--cluster-id"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "kafka-node-stop"));
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(KafkaNodeMain::stopOrphaned));
        stopped.await();
    }

    /**
     * The role that started this node is gone (killed itself): stop too. When the other nodes are stopping at
     * the same moment a controlled shutdown can wait for a quorum that is gone, so it gets a bounded time.
     */
    private static void stopOrphaned() {
        DaemonThreads.start("kafka-node-halt", () -> {
            try {
                Thread.sleep(ORPHAN_STOP_WITHIN_MS);
            } catch (InterruptedException ignored) {
                // halting anyway
            }
            Runtime.getRuntime().halt(1);
        });
        System.exit(0);
    }

    /** The command-line arguments {@link KafkaCluster} starts node {@code nodeId} with. */
    static List<String> arguments(KafkaQuorum quorum, int nodeId, Path dataDir, int partitions, String clusterId) {
        return List.of("--node-id", String.valueOf(nodeId), "--nodes", String.valueOf(quorum.nodes()), "--host", quorum.host(),
                "--base-port", String.valueOf(quorum.basePort()), "--data-dir", dataDir.toString(),
                "--partitions", String.valueOf(partitions), "--cluster-id", clusterId);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String option : OPTIONS) {
            if (!options.containsKey(option)) {
                System.err.println("KafkaNodeMain: missing " + option + " (started by the broker role with --nodes)");
                System.exit(2);
            }
        }
        return options;
    }
}
