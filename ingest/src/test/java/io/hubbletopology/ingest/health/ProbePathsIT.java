package io.hubbletopology.ingest.health;

import static io.hubbletopology.ingest.testing.HealthPortClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.hubbletopology.probes.ProbePaths;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The agent's and sink's port answers the processor's probe paths, and its own first names as aliases. */
@Timeout(30)
class ProbePathsIT {

    @Test
    void answersHealthAndReadyAndTheirOldNamesAlike() throws Exception {
        AtomicBoolean hubble = new AtomicBoolean(false);
        try (HealthServer health = HealthServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Map.of("hubble", hubble::get))) {
            int port = health.port();
            assertThat(ProbePaths.LIVENESS).containsExactly("/health", "/healthz");
            assertThat(ProbePaths.READINESS).containsExactly("/ready", "/readyz");
            for (String path : ProbePaths.LIVENESS) {
                assertThat(get(port, path).statusCode()).as(path).isEqualTo(200);
                assertThat(get(port, path).body()).as(path).isEqualTo("ok\n");
            }
            for (String path : ProbePaths.READINESS) {
                assertThat(get(port, path).statusCode()).as(path).isEqualTo(503);
                assertThat(get(port, path).body()).as(path).isEqualTo("{\"hubble\":false}\n");
            }
            hubble.set(true);
            for (String path : ProbePaths.READINESS) {
                assertThat(get(port, path).statusCode()).as(path).isEqualTo(200);
                assertThat(get(port, path).body()).as(path).isEqualTo("{\"hubble\":true}\n");
            }
            assertThat(get(port, "/metrics").statusCode()).isEqualTo(200);
        }
    }
}
