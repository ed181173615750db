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
import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.simulator.SimulatedHubbleServer;

/**
 * The processor dies (SIGKILL) in the middle of a stream and is started again with the same state directory
 * and API port: its API is ready again within 30 s, a live-map client that reconnects gets updates again, and
 * the topology counts every flow once.
 */
class ProcessorCrashIT {

    private static final Logger log = LoggerFactory.getLogger(ProcessorCrashIT.class);
    private static final long SEED = 22;
    private static final int FLOWS = 5_000;

    @Test
    @Timeout(240)
    void restartedProcessorIsReadyWithin30sServesLiveClientsAgainAndCountsExactly(@TempDir Path dir) throws Exception {
        JarProcess restarted = null;
        try (PipelineRun run = PipelineRun.start("processor-crash", dir, SEED, 250, FLOWS)) {
            SimulatedHubbleServer hubble = run.hubble();
            String api = run.api();
            run.awaitFollowedAndReady();
            try (ReconnectingWsClient live = new ReconnectingWsClient("ws://127.0.0.1:" + run.apiPort() + "/ws/topology")) {
                hubble.resume();
                await().atMost(Duration.ofSeconds(30)).until(() -> live.edgeMessages() > 0);

                await().atMost(Duration.ofSeconds(60)).until(() -> hubble.emitted() >= FLOWS / 4);
                run.processor().signal("KILL");
                assertThat(run.processor().awaitExit(Duration.ofSeconds(10))).as("processor exit after SIGKILL").isEqualTo(137);
                log.info("Processor killed after {} flows emitted", hubble.emitted());
                await().atMost(Duration.ofSeconds(10)).until(() -> live.connections() == 1 && !connected(api));

                long killedAt = System.nanoTime();
                restarted = Pipeline.processor("processor-crash-processor-restarted", run.kafka(), run.apiPort(), run.stateDir());
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> Http.get(api + "/ready").status() == 200);
                log.info("Ready again {} ms after the restart", (System.nanoTime() - killedAt) / 1_000_000);

                await().atMost(Duration.ofSeconds(15)).until(() -> live.connections() >= 2);
                long before = live.edgeMessages();
                // Flows keep coming, and the restarted processor catches up on those sent while it was down.
                await().atMost(Duration.ofSeconds(30)).until(() -> live.edgeMessages() > before);

                Pipeline.assertExactCounts(api, ExpectedTopology.nonReplyEdgeCounts(SEED, FLOWS), Duration.ofSeconds(90));
                assertThat(hubble.emitted()).isEqualTo(FLOWS);
            }
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    private static boolean connected(String api) throws InterruptedException {
        return Http.get(api + "/health").status() != 0;
    }
}
