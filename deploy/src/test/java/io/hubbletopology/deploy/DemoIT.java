package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's demo, run as a user runs it: one process, a topology that grows, this machine's interfaces,
 * and Ctrl-C stopping everything within 15 s with exit code 0 and no stack trace.
 */
class DemoIT {

    @Test
    @Timeout(150)
    void demoShowsAGrowingTopologyAndLocalLinksThenStopsCleanlyOnCtrlC() throws Exception {
        int apiPort = SeparateProcessesIT.freePort();
        try (JarProcess demo = JarProcess.start("demo", "768m", "demo", "--api-port", String.valueOf(apiPort))) {
            String api = "http://127.0.0.1:" + apiPort;
            AtomicLong first = new AtomicLong();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long flows = Http.totalFlows(Http.get(api + "/topology").body());
                first.set(flows);
                return flows > 0;
            });
            assertThat(demo.stdout()).contains("http://localhost:" + apiPort);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Http.totalFlows(Http.get(api + "/topology").body()) > first.get());
            assertThat(Http.get(api + "/links").body().path("links").findValuesAsText("name")).contains("lo");
            Http.Response health = Http.get(api + "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body().path("status").asText()).isEqualTo("ok");

            demo.signal("INT");
            assertThat(demo.awaitExit(Duration.ofSeconds(15))).isEqualTo(0);
            assertThat(demo.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }
}
