package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The first five minutes of a new user: the README's {@code java -jar hubble-topology.jar demo} (only the API
 * port is chosen, 8080 may be taken here) prints where to look, says nothing alarming on the way, and stops
 * with exit code 0 on SIGTERM; and any role logs JSON lines when asked.
 */
class FirstRunIT {

    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+ (WARN|ERROR) ", Pattern.MULTILINE);

    @Test
    @Timeout(150)
    void demoAsTheReadmeStartsItNamesThePageFirstLogsNoWarningAndStopsCleanlyOnSigterm() throws Exception {
        try (DemoProcess demo = DemoProcess.start("first-run-demo")) {
            String base = "http://localhost:" + demo.apiPort();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> demo.stdout().contains("Ctrl-C stops it."));
            String ready = demo.stdout().lines().filter(l -> l.contains("Ctrl-C")).findFirst().orElseThrow();
            int page = ready.indexOf(base + "/ ");
            int api = ready.indexOf(base + "/api/docs");
            int kafka = ready.indexOf("Kafka 127.0.0.1:");
            assertThat(page).as("the page comes first: %s", ready).isGreaterThan(0);
            assertThat(api).as("then the API: %s", ready).isGreaterThan(page);
            assertThat(kafka).as("then Kafka: %s", ready).isGreaterThan(api);
            assertThat(Http.get(demo.api() + "/health").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Http.totalFlows(Http.get(demo.api() + "/topology").body()) > 0);

            demo.signal("TERM");
            assertThat(demo.awaitExit(Duration.ofSeconds(20))).isEqualTo(0);
            assertThat(WARN_OR_ERROR.matcher(demo.stderr()).find()).as("a clean log:%n%s", demo.stderr()).isFalse();
            assertThat(demo.stderr()).doesNotContain("\tat ").contains("Kafka node 1 started on ");
        }
    }

    @Test
    @Timeout(90)
    void aRoleAskedForJsonLogsOneObjectPerLineWithTheFieldsPipelinesRead(@TempDir Path dir) throws Exception {
        int port = TestPorts.next();
        try (JarProcess broker = JarProcess.start("first-run-json-broker", "512m", "broker", "--port", String.valueOf(port),
                "--data-dir", dir.resolve("kafka").toString(), "--log-format", "json")) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> broker.stderr().contains("Kafka node 1 started"));
            broker.signal("TERM");
            assertThat(broker.awaitExit(Duration.ofSeconds(20))).isEqualTo(0);
            List<String> lines = broker.stderr().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            ObjectMapper json = new ObjectMapper();
            for (String line : lines) {
                JsonNode event = json.readTree(line);
                assertThat(event.path("@timestamp").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
                assertThat(event.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
                assertThat(event.path("logger").asText()).as(line).isNotBlank();
                assertThat(event.path("thread").asText()).as(line).isNotBlank();
                assertThat(event.has("message")).as(line).isTrue();
            }
            assertThat(lines).anyMatch(l -> l.contains("\"message\":\"Kafka node 1 started on 127.0.0.1:" + port));
        }
    }

    @Test
    @Timeout(30)
    void aBadLogFormatStopsTheRoleAtStartNamingTheKey(@TempDir Path dir) throws Exception {
        try (JarProcess broker = JarProcess.start("first-run-bad-format", "256m", "broker", "--port", "0",
                "--data-dir", dir.toString(), "--log-format", "xml")) {
            assertThat(broker.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
            assertThat(broker.stderr()).contains("log.format").contains("'xml' is not one of [text, json]")
                    .doesNotContain("Exception").hasLineCount(1);
        }
    }
}
