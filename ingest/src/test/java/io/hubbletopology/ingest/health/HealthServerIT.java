package io.hubbletopology.ingest.health;

import static io.hubbletopology.ingest.testing.HealthPortClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.broker.MetricsReference;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.ingest.IngestAgent;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/** The agent's health and metrics port, over HTTP as the kubelet and Prometheus use it. */
@Timeout(90)
class HealthServerIT {

    private static double metric(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void livenessReadinessAndPrometheusMetrics() throws Exception {
        TopicNames topics = TopicNames.prefixed("health-it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(4)::next)
                .flowsPerSecond(500).maxFlows(500).startPaused().start()) {
            Map<String, String> settings = new HashMap<>(KafkaSettings.topicOverrides(topics));
            settings.putAll(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), SharedKafka.bootstrapServers(),
                    IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubble.port(), IngestConfig.HEALTH_PORT.name(), "0",
                    IngestConfig.HEALTH_HOST.name(), "127.0.0.1", IngestConfig.NODE_NAME.name(), "health-it",
                    HubbleSourceSettings.INCLUDE_REPLIES.name(), "true"));
            try (IngestAgent agent = new IngestAgent(IngestConfig.of(settings))) {
                agent.start();
                int port = agent.healthPort();
                assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);

                await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/readyz").statusCode() == 200);
                assertThat(get(port, "/readyz").body()).contains("\"kafka_topics\":true", "\"hubble\":true", "\"sysfs\":true");

                hubble.resume();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        metric(get(port, "/metrics").body(), "hubble_topology_ingest_flows_published_total") == 500);
                String metrics = get(port, "/metrics").body();
                assertThat(metric(metrics, "hubble_topology_ingest_flows_read_total")).isEqualTo(500);
                assertThat(metric(metrics, "hubble_topology_ingest_link_changes_total")).isPositive();
                assertThat(metric(metrics, "hubble_topology_ingest_send_latency_seconds_count")).isGreaterThanOrEqualTo(500);
                assertThat(metrics).contains("hubble_topology_ingest_records_dropped_total", "hubble_topology_ingest_lost_events_total",
                        "hubble_topology_ingest_hubble_reconnects_total", "hubble_topology_ingest_producer_errors_total",
                        "hubble_topology_ingest_flows_filtered_total{reason=\"duplicate\"}", "jvm_memory_used_bytes");
                assertThat(metric(metrics, "hubble_topology_ingest_hubble_connected")).isEqualTo(1);
                assertThat(metric(metrics, "kafka_producer_record_send_total")).isPositive();
                assertMatchesDocsMetricsMd(metrics);

                // Hubble goes away: no longer ready, still alive.
                hubble.close();
                await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/readyz").statusCode() == 503);
                assertThat(get(port, "/readyz").body()).contains("\"hubble\":false");
                assertThat(metric(get(port, "/metrics").body(), "hubble_topology_ingest_hubble_connected")).isZero();
                assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            }
        }
    }

    /** Every hubble_topology_* family the agent shows is documented with its type, and every documented one shows. */
    private static void assertMatchesDocsMetricsMd(String scrape) {
        MetricsReference doc = MetricsReference.read(MetricsReference.locate());
        Map<String, String> documented = new HashMap<>();
        doc.families("ingest").values().forEach(f -> documented.put(f.name(), f.type()));
        Map<String, String> always = new HashMap<>();
        doc.alwaysPresent("ingest").values().forEach(f -> always.put(f.name(), f.type()));
        assertThat(documented).as("docs/metrics.md, section ingest").containsAllEntriesOf(MetricsReference.ownFamilies(scrape));
        assertThat(MetricsReference.scrapedFamilies(scrape)).as("the agent's /metrics").containsAllEntriesOf(always);
    }
}
