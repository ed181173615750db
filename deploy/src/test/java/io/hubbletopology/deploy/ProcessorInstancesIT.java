package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.topics.TopicNames;

/**
 * Processors started exactly as the README's "Run the roles as separate processes" shows, each with its own
 * {@code --api-port} and nothing else (and once more with {@code --application-server} given): two, then three,
 * each answer with the whole topology, equal to what was sent and {@code partial: false}. One killed with
 * SIGKILL makes the others answer {@code partial: true} naming its address and partitions, until the group has
 * moved its partitions; then whole again.
 */
class ProcessorInstancesIT {

    private static final int FLOWS = 3_000;

    @ParameterizedTest(name = "application server given: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(420)
    void everyInstanceAnswersForTheWholeClusterAndSaysWhatIsMissingWhenOneDies(boolean applicationServer, @TempDir Path dir)
            throws Exception {
        List<JarProcess> processors = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir.resolve("kafka")))) {
            String kafka = broker.bootstrapServers();
            for (int i = 0; i < 2; i++) {
                ports.add(TestPorts.next());
                processors.add(start(kafka, ports.get(i), applicationServer));
            }
            for (int port : ports) {
                await().atMost(Duration.ofSeconds(90)).until(() -> Http.get(api(port) + "/ready").status() == 200);
            }
            Map<String, Long> expected = FlowsTopicWriter.sendAcrossEdges(kafka, TopicNames.DEFAULT_FLOWS, FLOWS);

            for (int port : ports) {
                assertWhole(port, expected);
            }

            ports.add(TestPorts.next());
            JarProcess third = start(kafka, ports.get(2), applicationServer);
            processors.add(third);
            await().atMost(Duration.ofSeconds(90)).until(() -> Http.get(api(ports.get(2)) + "/ready").status() == 200);
            for (int port : ports) {
                assertWhole(port, expected);
            }

            third.signal("KILL");
            third.awaitExit(Duration.ofSeconds(10));
            // Until the group notices (its session timeout), the third's partitions are still assigned to it.
            AtomicReference<JsonNode> partial = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode t = Http.get(api(ports.get(0)) + "/api/v1/topology?last=1h").body();
                partial.set(t);
                return t.path("partial").asBoolean(false);
            });
            JsonNode missing = partial.get().path("missing");
            assertThat(missing).as(partial.get().toString()).isNotEmpty();
            assertThat(missing.get(0).path("instance").asText()).isIn("127.0.0.1:" + ports.get(2), "unassigned");
            assertThat(missing.get(0).path("partitions")).isNotEmpty();
            assertThat(Http.totalFlows(partial.get())).isLessThan(FLOWS);

            for (int port : ports.subList(0, 2)) {
                assertWhole(port, expected);
            }
        } finally {
            for (JarProcess p : processors) {
                p.close();
            }
            for (int port : ports) {
                deleteState(port);
            }
        }
    }

    /** The README's command, with only the API port changed (and the address, in the second run). */
    private static JarProcess start(String kafka, int port, boolean applicationServer) throws IOException {
        List<String> args = new ArrayList<>(List.of("processor", "--bootstrap-servers", kafka, "--api-port", String.valueOf(port)));
        if (applicationServer) {
            args.addAll(List.of("--application-server", "127.0.0.1:" + port));
        }
        return JarProcess.start("instances-" + port, "384m", args.toArray(String[]::new));
    }

    /** Waits for a whole answer equal to what was sent; when it does not come, says what the last answer was. */
    private static void assertWhole(int port, Map<String, Long> expected) throws InterruptedException {
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        AtomicReference<JsonNode> answer = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Http.Response r = Http.get(api(port) + "/api/v1/topology?last=1h");
                answer.set(r.body());
                last.set("status=" + r.status() + " partial=" + r.body().path("partial") + " total="
                        + Http.totalFlows(r.body()) + " missing=" + r.body().path("missing"));
                return r.status() == 200 && !r.body().path("partial").asBoolean(true) && Http.totalFlows(r.body()) == FLOWS;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no whole answer from the instance on " + port + "; last: " + last.get(), e);
        }
        Map<String, Long> counts = new TreeMap<>();
        answer.get().path("links").forEach(l -> counts.put(l.path("key").asText(), l.path("flows").asLong()));
        assertThat(counts).as("instance on " + port).isEqualTo(expected);
    }

    private static String api(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The processor's default state directory (one per API port under the temp directory), as the README leaves it. */
    private static void deleteState(int port) {
        Path state = Path.of(System.getProperty("java.io.tmpdir"), "hubble-topology-state-" + port);
        if (!Files.exists(state)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(state)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }
}
