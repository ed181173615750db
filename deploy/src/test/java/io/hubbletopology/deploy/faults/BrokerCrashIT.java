package io.hubbletopology.deploy.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.deploy.ExpectedTopology;
import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.deploy.TestPorts;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * The broker dies (SIGKILL) in the middle of a stream of flows and comes back on the same port and data
 * directory: the ingest holds and retries what it could not send, the exactly-once processor aborts what it
 * had not committed, and the topology ends up with every flow Hubble sent, counted once.
 */
class BrokerCrashIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerCrashIT.class);
    private static final long SEED = 21;
    private static final int FLOWS = 5_000;

    @Test
    @Timeout(240)
    void countsEqualWhatHubbleSentAfterTheBrokerIsKilledAndRestartedMidStream(@TempDir Path dir) throws Exception {
        int kafkaPort = TestPorts.next();
        int apiPort = TestPorts.next();
        String kafka = "127.0.0.1:" + kafkaPort;
        Path data = dir.resolve("kafka");
        JarProcess restarted = null;
        try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(SEED)::next)
                .flowsPerSecond(400).maxFlows(FLOWS).startPaused().start();
             JarProcess broker = Pipeline.broker("broker-crash-broker", kafkaPort, data);
             JarProcess processor = Pipeline.processor("broker-crash-processor", kafka, apiPort, dir.resolve("state"));
             JarProcess ingest = Pipeline.ingest("broker-crash-ingest", kafka, hubble.port())) {
            String api = "http://127.0.0.1:" + apiPort;
            await().atMost(Duration.ofSeconds(60)).until(() -> hubble.followers() == 1);
            // Start the stream once the processor runs, so the kill lands in the middle of processing.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> io.hubbletopology.deploy.Http.get(api + "/ready").status() == 200);
            hubble.resume();

            await().atMost(Duration.ofSeconds(60)).until(() -> hubble.emitted() >= FLOWS / 3);
            broker.signal("KILL");
            assertThat(broker.awaitExit(Duration.ofSeconds(10))).as("broker exit after SIGKILL").isEqualTo(137);
            log.info("Broker killed after {} flows emitted", hubble.emitted());
            Thread.sleep(3_000);
            restarted = Pipeline.broker("broker-crash-broker-restarted", kafkaPort, data);

            Pipeline.assertExactCounts(api, ExpectedTopology.nonReplyEdgeCounts(SEED, FLOWS), Duration.ofSeconds(150));
            assertThat(hubble.emitted()).isEqualTo(FLOWS);
            assertThat(processor.alive()).as("the processor outlives the broker's crash").isTrue();
            assertThat(ingest.alive()).as("the ingest outlives the broker's crash").isTrue();
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }
}
