package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/**
 * The thinnest real path through every module: a Hubble server speaking gRPC on a real socket, the ingest
 * agent, the real broker, Kafka Streams, and the REST answer, whose edge counts must equal what was sent.
 */
// Alone, not beside another test class (deploy/pom.xml): its processor runs in this JVM.
@Isolated
class HubbleToRestIT {

    private static final long SEED = 7;
    private static final int FLOWS = 3_000;

    @Test
    @Timeout(120)
    void edgeCountsEqualWhatTheHubbleServerSent(@TempDir Path dir) throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed("spine-it.");
        ProcessorConfig processorConfig = ProcessorConfig.defaults(kafka, "spine-it", dir.resolve("state"), topics,
                Map.of("processor.commit_interval", "200ms", "processor.window.grace", "5m",
                        "processor.window.retention", "1h", "kafka.replication_factor", "1"));
        ProcessorRole processor = new ProcessorRole(() -> processorConfig, new ApiSettings("127.0.0.1", 0, "both"));

        try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(SEED)::next)
                .flowsPerSecond(2_000).maxFlows(FLOWS).startPaused().start()) {
            Map<String, String> ingestSettings = new java.util.HashMap<>(KafkaSettings.topicOverrides(topics));
            ingestSettings.putAll(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka, IngestConfig.NODE_NAME.name(), "it-node",
                    IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubble.port(), IngestConfig.HEALTH_PORT.name(), "0",
                    IngestConfig.FLOWS_RETENTION.name(), "1h"));
            IngestRole ingest = new IngestRole(() -> IngestConfig.of(ingestSettings));
            processor.start();
            ingest.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> hubble.followers() == 1);
                hubble.resume();
                String api = "http://127.0.0.1:" + processor.apiPort();

                Map<String, Long> expected = ExpectedTopology.nonReplyEdgeCounts(SEED, FLOWS);
                long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
                AtomicReference<JsonNode> topology = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    Http.Response r = Http.get(api + "/api/v1/topology?last=1h");
                    topology.set(r.body());
                    return r.status() == 200 && Http.totalFlows(r.body()) >= expectedTotal;
                });
                assertThat(hubble.emitted()).isEqualTo(FLOWS);
                assertThat(ExpectedTopology.edgeCounts(topology.get())).isEqualTo(expected);

                // The old agent's path answers the same, in its shape.
                JsonNode old = Http.get(api + "/topology?last=1h").body();
                assertThat(Http.totalFlows(old)).isEqualTo(expectedTotal);
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
