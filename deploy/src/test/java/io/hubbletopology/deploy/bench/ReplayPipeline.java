package io.hubbletopology.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.deploy.TestPorts;

/**
 * The roles as the README starts them, each a process of the runnable jar with every setting at its default: a
 * broker, a processor with its API, and an ingest agent reading {@code hubble observe -o json} lines from its
 * standard input ({@code ingest --replay -}), which {@link #feeder()} writes. Only ports, directories and the node
 * name are given.
 */
final class ReplayPipeline implements AutoCloseable {

    final String kafka;
    final int apiPort;
    private final List<JarProcess> roles = new ArrayList<>();
    private final ReplayFeeder feeder;

    ReplayPipeline(Path dir, String... processorExtra) throws IOException, InterruptedException {
        int kafkaPort = TestPorts.next();
        apiPort = TestPorts.next();
        kafka = "127.0.0.1:" + kafkaPort;
        roles.add(JarProcess.start("live-broker", "1g", "broker", "--port", String.valueOf(kafkaPort),
                "--data-dir", dir.resolve("kafka").toString()));
        // As an operator does: the others once the broker is up (a loaded machine can take minutes to start a JVM).
        awaitLine(roles.get(0), " started on ");
        List<String> processor = new ArrayList<>(List.of("processor", "--bootstrap-servers", kafka,
                "--api-port", String.valueOf(apiPort), "--state-dir", dir.resolve("state").toString()));
        processor.addAll(List.of(processorExtra));
        roles.add(JarProcess.start("live-processor", "1g", processor.toArray(String[]::new)));
        JarProcess ingest = JarProcess.start("live-ingest", "256m", "ingest", "--bootstrap-servers", kafka, "--replay", "-",
                "--node-name", "bench-node", "--health-port", "-1");
        roles.add(ingest);
        feeder = new ReplayFeeder(ingest.stdin());
        awaitReady();
    }

    private static void awaitLine(JarProcess role, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!role.stderr().contains(text) && !role.stdout().contains(text)) {
            if (!role.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(role.name() + " did not log '" + text + "' within 4 minutes: " + role.stderr());
            }
            Thread.sleep(250);
        }
    }

    ReplayFeeder feeder() {
        return feeder;
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + apiPort + "/ws/topology";
    }

    /** Waits (at most four minutes: a loaded machine starts JVMs slowly) until the processor answers ready: its topics exist and its tasks run. */
    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            for (JarProcess role : roles) {
                if (!role.alive()) {
                    throw new IllegalStateException(role.name() + " exited: " + role.stderr());
                }
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the processor was not ready within 4 minutes");
    }


    @Override
    public void close() {
        feeder.close();
        for (int i = roles.size() - 1; i >= 0; i--) {
            JarProcess role = roles.get(i);
            try {
                role.signal("TERM");
                if (role.awaitExit(Duration.ofSeconds(15)) < 0) {
                    role.close();
                }
            } catch (IOException | InterruptedException e) {
                role.close();
            }
        }
    }
}
