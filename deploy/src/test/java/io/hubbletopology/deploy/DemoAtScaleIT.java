package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * README's {@code demo --workloads 1000}, run as a user runs it: within a bounded time the topology shows the thousand
 * workloads and thousands of edges between them, and the workload inventory lists every pod's workload on the map.
 */
class DemoAtScaleIT {

    @Test
    @Timeout(300)
    void aThousandWorkloadDemoShowsThemAndThousandsOfEdges() throws Exception {
        int apiPort = SeparateProcessesIT.freePort();
        try (JarProcess demo = JarProcess.start("demo-1000", "1g", "demo", "--workloads", "1000", "--api-port", String.valueOf(apiPort))) {
            String api = "http://127.0.0.1:" + apiPort;
            AtomicReference<JsonNode> topology = new AtomicReference<>();
            // Generous for a shared 2-core machine: start-up alone took 75 s to 3 min at a load average of 60 to 70.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                topology.set(Http.get(api + "/api/v1/topology").body());
                return topology.get().path("nodes").size() >= 1_000 && topology.get().path("links").size() >= 3_000;
            });
            Set<String> onTheMap = new HashSet<>();
            topology.get().path("nodes").forEach(n -> {
                if (n.path("kind").asText().equals("workload")) {
                    onTheMap.add(n.path("id").asText());
                }
            });
            assertThat(onTheMap).hasSizeGreaterThan(950);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                Set<String> listed = new HashSet<>(Http.get(api + "/api/v1/workloads").body().path("workloads").findValuesAsText("id"));
                return listed.containsAll(onTheMap);
            });
            JsonNode namespaces = Http.get(api + "/api/v1/namespaces").body().path("namespaces");
            assertThat(namespaces.size()).isEqualTo(16);

            demo.signal("INT");
            assertThat(demo.awaitExit(Duration.ofSeconds(30))).isEqualTo(0);
            assertThat(demo.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }
}
