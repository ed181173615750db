package io.hubbletopology.deploy.faults;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.SimulatedFlows;

/**
 * The processor dies (SIGKILL) in the middle of a stream and is started again with the same state directory
 * and API port: its API is ready again within 30 s, a live-map client that reconnects gets updates again, and
 * the topology counts every flow once.
 */
class ProcessorCrashIT {

    private static final Logger log = LoggerFactory.getLogger(ProcessorCrashIT.class);
    private static final SimulatedFlows FLOWS = new SimulatedFlows(22, 5_000);

    @Test
    @Timeout(240)
    void restartedProcessorIsReadyWithin30sServesLiveClientsAgainAndCountsExactly(@TempDir Path dir) throws Exception {
        try (PipelineRun run = PipelineRun.start("processor-crash", dir, FLOWS, 250)) {
            String api = run.api();
            run.awaitFollowedAndReady();
            try (ReconnectingWsClient live = new ReconnectingWsClient("ws://127.0.0.1:" + run.apiPort() + "/ws/topology")) {
                run.hubble().resume();
                await().atMost(Duration.ofSeconds(30)).until(() -> live.edgeMessages() > 0);

                run.killProcessorAfter(FLOWS.count() / 4);
                await().atMost(Duration.ofSeconds(10)).until(() -> live.connections() == 1 && !connected(api));

                long killedAt = System.nanoTime();
                run.restartProcessor();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> Http.get(api + "/ready").status() == 200);
                log.info("Ready again {} ms after the restart", (System.nanoTime() - killedAt) / 1_000_000);

                await().atMost(Duration.ofSeconds(15)).until(() -> live.connections() >= 2);
                long before = live.edgeMessages();
                // Flows keep coming, and the restarted processor catches up on those sent while it was down.
                await().atMost(Duration.ofSeconds(30)).until(() -> live.edgeMessages() > before);

                run.assertExactCounts(Duration.ofSeconds(90));
            }
        }
    }

    private static boolean connected(String api) throws InterruptedException {
        return Http.get(api + "/health").status() != 0;
    }
}
