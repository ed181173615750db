package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.simulator.SimulatedHubbleServer;

/**
 * The thinnest real path through every module: a Hubble server speaking gRPC on a real socket, the ingest
 * agent, the real broker, Kafka Streams, and the REST answer, whose edge counts must equal what was sent.
 */
// Alone, not beside another test class (deploy/pom.xml): its processor runs in this JVM.
@Isolated
class HubbleToRestIT {

    private static final SimulatedFlows FLOWS = new SimulatedFlows(7, 3_000);

    @Test
    @Timeout(120)
    void edgeCountsEqualWhatTheHubbleServerSent(@TempDir Path dir) throws Exception {
        InJvmRoles roles = InJvmRoles.on("spine-it");
        ProcessorConfig processorConfig = roles.processorConfig(dir.resolve("state"));
        ProcessorRole processor = new ProcessorRole(() -> processorConfig, new ApiSettings("127.0.0.1", 0, "both"));

        try (SimulatedHubbleServer hubble = FLOWS.pausedHubble(2_000)) {
            IngestRole ingest = new IngestRole(() -> roles.ingestConfig("it-node", hubble.port()));
            processor.start();
            ingest.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> hubble.followers() == 1);
                hubble.resume();
                String api = "http://127.0.0.1:" + processor.apiPort();

                JsonNode topology = FLOWS.awaitCounted(api + "/api/v1/topology?last=1h", Duration.ofSeconds(60), Duration.ofMillis(500));
                assertThat(hubble.emitted()).isEqualTo(FLOWS.count());
                assertThat(ExpectedTopology.edgeCounts(topology)).isEqualTo(FLOWS.expectedEdgeCounts());

                // The old agent's path answers the same, in its shape.
                JsonNode old = Http.get(api + "/topology?last=1h").body();
                assertThat(Http.totalFlows(old)).isEqualTo(FLOWS.expectedTotal());
                assertThat(old.path("links").get(0).has("src")).isTrue();
                assertThat(old.path("links").get(0).has("state")).isTrue();

                await().atMost(Duration.ofSeconds(20)).until(() ->
                        Http.get(api + "/links").body().path("links").findValuesAsText("name").contains("lo"));
            } finally {
                ingest.stop();
                processor.stop();
            }
        }
    }
}
