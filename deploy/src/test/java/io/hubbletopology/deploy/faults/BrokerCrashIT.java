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
import io.hubbletopology.simulator.SimulatedHubbleServer;

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
        JarProcess restarted = null;
        try (PipelineRun run = PipelineRun.start("broker-crash", dir, SEED, 400, FLOWS)) {
            SimulatedHubbleServer hubble = run.hubble();
            // Start the stream once the processor runs, so the kill lands in the middle of processing.
            run.awaitFollowedAndReady();
            hubble.resume();

            await().atMost(Duration.ofSeconds(60)).until(() -> hubble.emitted() >= FLOWS / 3);
            run.broker().signal("KILL");
            assertThat(run.broker().awaitExit(Duration.ofSeconds(10))).as("broker exit after SIGKILL").isEqualTo(137);
            log.info("Broker killed after {} flows emitted", hubble.emitted());
            Thread.sleep(3_000);
            restarted = Pipeline.broker("broker-crash-broker-restarted", run.kafkaPort(), run.kafkaData());

            Pipeline.assertExactCounts(run.api(), ExpectedTopology.nonReplyEdgeCounts(SEED, FLOWS), Duration.ofSeconds(150));
            assertThat(hubble.emitted()).isEqualTo(FLOWS);
            assertThat(run.processor().alive()).as("the processor outlives the broker's crash").isTrue();
            assertThat(run.ingest().alive()).as("the ingest outlives the broker's crash").isTrue();
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }
}
