package io.hubbletopology.deploy.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.deploy.ExpectedTopology;
import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.JarProcess;

/**
 * The roles of the runnable jar as the fault tests run them: each its own process, so any of them can be
 * killed with SIGKILL and started again on the same port and directory, as a crash and a restart by systemd
 * or Kubernetes would.
 */
final class Pipeline {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private Pipeline() {
    }


    static JarProcess broker(String name, int port, Path dataDir) throws IOException {
        return JarProcess.start(name, "512m", "broker", "--port", String.valueOf(port), "--data-dir", dataDir.toString());
    }

    /** A cluster of {@code nodes} brokers from the broker role, as docs/local-cluster.md starts it. */
    static JarProcess brokers(String name, int basePort, int nodes, Path dataDir) throws IOException {
        return JarProcess.start(name, "256m", "broker", "--nodes", String.valueOf(nodes), "--port", String.valueOf(basePort),
                "--data-dir", dataDir.toString());
    }

    /** The processor with exactly-once: a crash of it or of the broker must not count a flow twice. */
    static JarProcess processor(String name, String kafka, int apiPort, Path stateDir) throws IOException {
        return JarProcess.start(name, "512m", "processor", "--bootstrap-servers", kafka, "--api-host", "127.0.0.1",
                "--api-port", String.valueOf(apiPort), "--state-dir", stateDir.toString(), "--commit-interval", "200ms",
                "--exactly-once");
    }

    static JarProcess ingest(String name, String kafka, int hubblePort) throws IOException {
        return ingest(name, kafka, hubblePort, 0);
    }

    /** The agent with its health and metrics on {@code healthPort}, {@code extra} options after the usual ones. */
    static JarProcess ingest(String name, String kafka, int hubblePort, int healthPort, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("ingest", "--mode", "hubble", "--bootstrap-servers", kafka,
                "--hubble-addr", "127.0.0.1:" + hubblePort, "--node-name", "fault-node", "--health-port", String.valueOf(healthPort)));
        args.addAll(List.of(extra));
        return JarProcess.start(name, "256m", args.toArray(String[]::new));
    }

    /**
     * Waits until the topology holds at least the expected number of flows, then a little longer so that a
     * flow counted twice would show, and asserts the counts per edge equal the expected ones.
     */
    static void assertExactCounts(String api, Map<String, Long> expected, Duration within) throws InterruptedException {
        long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
        AtomicReference<JsonNode> topology = new AtomicReference<>();
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Http.Response r = Http.get(api + "/api/v1/topology?last=1h");
            topology.set(r.body());
            long total = Http.totalFlows(r.body());
            log.info("Topology: status {}, {} of {} flows", r.status(), total, expectedTotal);
            return r.status() == 200 && total >= expectedTotal;
        });
        Thread.sleep(3_000);
        // Answers are refreshed in the background at most every second: ask once to refresh, then read.
        Http.get(api + "/api/v1/topology?last=1h");
        Thread.sleep(2_000);
        Http.Response settled = Http.get(api + "/api/v1/topology?last=1h");
        assertThat(settled.status()).isEqualTo(200);
        assertThat(ExpectedTopology.edgeCounts(settled.body())).isEqualTo(expected);
    }
}
