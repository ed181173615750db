package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.simulator.SimulatedHubbleServer;

/**
 * The roles run as separate processes from the runnable jar, the way the README tells operators to:
 * broker, then processor, then ingest against a Hubble server on a real socket. The answer is the same as
 * in one process, and every role stops on SIGTERM within 15 s with exit code 0 and no stack trace.
 */
class SeparateProcessesIT {

    private static final SimulatedFlows FLOWS = new SimulatedFlows(11, 2_000);

    @Test
    @Timeout(180)
    void brokerProcessorAndIngestAsProcessesGiveTheExactTopology(@TempDir Path dir) throws Exception {
        int kafkaPort = TestPorts.next();
        int apiPort = TestPorts.next();
        String kafka = "127.0.0.1:" + kafkaPort;
        try (SimulatedHubbleServer hubble = FLOWS.pausedHubble(1_000);
             JarProcess broker = JarProcess.start("broker", "512m", "broker", "--port", String.valueOf(kafkaPort),
                     "--data-dir", dir.resolve("kafka").toString());
             JarProcess processor = JarProcess.start("processor", "512m", "processor", "--bootstrap-servers", kafka,
                     "--api-port", String.valueOf(apiPort), "--state-dir", dir.resolve("state").toString());
             JarProcess ingest = JarProcess.start("ingest", "256m", "ingest", "--bootstrap-servers", kafka,
                     "--hubble-addr", "127.0.0.1:" + hubble.port(), "--node-name", "it-node", "--health-port", "0")) {

            await().atMost(Duration.ofSeconds(60)).until(() -> hubble.followers() == 1);
            hubble.resume();

            String api = "http://127.0.0.1:" + apiPort;
            JsonNode topology = FLOWS.awaitCounted(api + "/topology?last=1h", Duration.ofSeconds(90), Duration.ofSeconds(1));
            assertThat(ExpectedTopology.edgeCounts(topology)).isEqualTo(FLOWS.expectedEdgeCounts());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Http.get(api + "/links").body().path("links").findValuesAsText("name").contains("lo"));
            assertThat(Http.get(api + "/health").body().path("status").asText()).isEqualTo("ok");

            for (JarProcess role : List.of(ingest, processor, broker)) {
                role.signal("TERM");
                assertThat(role.awaitExit(Duration.ofSeconds(15))).as(role.name() + " exit code").isEqualTo(0);
                assertThat(role.stderr()).as(role.name() + " stderr").doesNotContain("\tat ");
            }
        }
    }

}
