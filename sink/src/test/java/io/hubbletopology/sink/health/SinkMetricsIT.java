package io.hubbletopology.sink.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.hubbletopology.broker.MetricsReference;
import io.hubbletopology.ingest.health.HealthServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The sink's /metrics, served as SinkRole serves it, against docs/metrics.md's "sink" section. */
@Timeout(30)
class SinkMetricsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void scrapeShowsExactlyTheMetricsDocsMetricsMdListsForTheSink() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SinkMetrics metrics = new SinkMetrics(registry);
        metrics.bind(() -> 0, () -> 0, () -> 0);
        MetricsReference doc = MetricsReference.read(MetricsReference.locate());
        try (HealthServer health = HealthServer.start("127.0.0.1", 0, registry, Map.of())) {
            assertThat(scrapedTypes(health)).containsAllEntriesOf(types(doc.alwaysPresent("sink")));

            metrics.rejected("out_of_order_sample", 3);
            Map<String, String> own = MetricsReference.ownFamilies(scrape(health));
            assertThat(types(doc.families("sink"))).as("docs/metrics.md, section sink").containsAllEntriesOf(own);
            assertThat(own).containsEntry("hubble_topology_sink_samples_failed_total", "counter");
        }
    }

    private Map<String, String> scrapedTypes(HealthServer health) throws Exception {
        return MetricsReference.scrapedFamilies(scrape(health));
    }

    private String scrape(HealthServer health) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static Map<String, String> types(Map<String, MetricsReference.Family> families) {
        Map<String, String> types = new HashMap<>();
        families.values().forEach(f -> types.put(f.name(), f.type()));
        return types;
    }
}
