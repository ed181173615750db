package io.hubbletopology.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.deploy.TestPorts;

/**
 * deploy/local/cluster.sh as an operator runs it: `up` with two processors and two agents starts every part
 * as its own process, each API instance answers with a topology, `status` lists them, and `down` leaves
 * none of them running. And `down` never signals a process it did not start, even one that took over a
 * recorded pid.
 */
class LocalClusterIT {

    private static final Path SCRIPT = Path.of("local", "cluster.sh");
    private static final Path JAR = Path.of("target", "hubble-topology.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(400)
    void upRunsTwoProcessorsAndTwoAgentsThatAnswerAndDownLeavesNoProcess(@TempDir Path runDir) throws Exception {
        int kafkaPort = TestPorts.next();
        int apiBase = TestPorts.run(2);
        int hubbleBase = TestPorts.run(2);
        int healthBase = TestPorts.run(2);
        List<String> options = List.of("--run-dir", runDir.toString(), "--jar", JAR.toAbsolutePath().toString(),
                "--processors", "2", "--agents", "2", "--kafka-port", String.valueOf(kafkaPort),
                "--api-port-base", String.valueOf(apiBase), "--hubble-port-base", String.valueOf(hubbleBase),
                "--health-port-base", String.valueOf(healthBase));
        List<Long> started = new ArrayList<>();
        try {
            Result up = script("up", options, 300);
            started.addAll(recordedPids(runDir));
            assertThat(up.exit()).as(up.output()).isZero();
            assertThat(started).as("broker, 2 Hubble servers, 2 processors, 2 agents").hasSize(7);

            Result status = script("status", options, 30);
            assertThat(status.output().lines().filter(l -> l.contains(" running ")).count()).as(status.output()).isEqualTo(7);

            for (int i = 0; i < 2; i++) {
                String api = "http://127.0.0.1:" + (apiBase + i);
                assertThat(get(api + "/health").path("status").asText()).isEqualTo("ok");
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> get(api + "/topology?last=1h").path("links").size() > 0);
            }
            // Each instance answers for the whole cluster (it asks the other one for its partitions): both give
            // the same complete set of edges. Flows keep coming, so the counts are compared loosely.
            String first = "http://127.0.0.1:" + apiBase + "/topology?last=1h";
            String second = "http://127.0.0.1:" + (apiBase + 1) + "/topology?last=1h";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode a = get(first);
                JsonNode b = get(second);
                return !a.path("partial").asBoolean(true) && !b.path("partial").asBoolean(true)
                        && edges(a).size() >= 10 && edges(a).equals(edges(b));
            });
            // Both merge the same stores, so asked one after the other they see the same growing counts: A, then B,
            // then A again must be in order. (A parameter no one else asks makes each a fresh, uncached answer.)
            long flowsA1 = flows(get(first + "&asked=1"));
            long flowsB = flows(get(second + "&asked=2"));
            long flowsA2 = flows(get(first + "&asked=3"));
            System.out.printf("processor-0: %d flows, then processor-1: %d flows, then processor-0: %d flows, over %d edges%n",
                    flowsA1, flowsB, flowsA2, edges(get(first)).size());
            assertThat(flowsB).isBetween(flowsA1, flowsA2);

            Result down = script("down", options, 120);
            assertThat(down.exit()).as(down.output()).isZero();
            for (long pid : started) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid + " after down").isFalse();
            }
            assertThat(script("status", options, 30).output()).contains("no cluster recorded");
        } finally {
            // Whatever failed above, nothing of ours outlives the test.
            for (long pid : started) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    @Timeout(60)
    void downLeavesAloneAProcessThatTookARecordedPid(@TempDir Path runDir) throws Exception {
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            // As if our process had died and the kernel had given its pid to another one: same pid, other start time.
            Files.writeString(runDir.resolve("pids"), "processor-0 " + stranger.pid() + " 1 8080 " + runDir.resolve("x.log") + "\n");
            List<String> options = List.of("--run-dir", runDir.toString());

            assertThat(script("status", options, 30).output()).containsPattern("processor-0\\s+" + stranger.pid() + "\\s+stopped");
            Result down = script("down", options, 30);

            assertThat(down.exit()).isZero();
            assertThat(stranger.waitFor(2, TimeUnit.SECONDS)).as("the stranger is still running").isFalse();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    @Timeout(60)
    void upRefusesABadCountWithOneLineAndExitCode2(@TempDir Path runDir) throws Exception {
        Result r = script("up", List.of("--run-dir", runDir.toString(), "--processors", "0"), 30);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output().strip()).isEqualTo("cluster.sh: --processors must be a whole number >= 1, was '0'");
    }

    private record Result(int exit, String output) {
    }

    private static Result script(String command, List<String> options, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), command));
        cmd.addAll(options);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Read while it runs: `up` writes a line per process, and a full pipe would stall it.
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cluster.sh " + command + " did not finish in " + timeoutSeconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.print(text);
        return new Result(p.exitValue(), text);
    }

    private static List<Long> recordedPids(Path runDir) throws IOException {
        Path pids = runDir.resolve("pids");
        if (!Files.exists(pids)) {
            return List.of();
        }
        return Files.readAllLines(pids).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.split(" ")[1])).toList();
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return JSON.nullNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.nullNode();
        }
    }

    private static java.util.Set<String> edges(JsonNode topology) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        topology.path("links").forEach(l -> keys.add(l.path("src").asText() + " -> " + l.path("dst").asText() + " "
                + l.path("protocol").asText() + "/" + l.path("port").asInt()));
        return keys;
    }

    private static long flows(JsonNode topology) {
        long sum = 0;
        for (JsonNode link : topology.path("links")) {
            sum += link.path("flows").asLong();
        }
        return sum;
    }


}
