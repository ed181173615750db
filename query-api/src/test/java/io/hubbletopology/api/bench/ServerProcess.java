package io.hubbletopology.api.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runnable jar's {@code processor} role in a JVM of its own, so its heap limit and its heap figures are the
 * server's alone. Its output goes to a log file the benchmark reads for problems at the end.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final List<String> command;
    private int linesAtReady;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ServerProcess(Process process, Path log, int port, List<String> command) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.command = command;
    }

    /** Starts the processor role and waits until Kafka Streams runs and the live feed follows its topics. */
    static ServerProcess start(Path jar, String bootstrap, String maxHeap, int maxClients, Path workDir) throws Exception {
        int port = freePort();
        Path log = workDir.resolve("server.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-jar", jar.toString(), "processor", "--bootstrap-servers", bootstrap, "--api-host", "127.0.0.1",
                // Any free port for the Observer API: by default it is 4245 moved as far as the API port is from 8080,
                // which another process on the machine may hold.
                "--api-port", String.valueOf(port), "--observer-port", "0", "--application-id", "api-bench-fan-out",
                "--state-dir", workDir.resolve("state").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WEBSOCKET_MAX_CLIENTS", String.valueOf(maxClients));
        ServerProcess server = new ServerProcess(builder.start(), log, port, command);
        server.awaitReady(Duration.ofSeconds(120));
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            // The follower logs this once it sits at the end of every partition: later updates reach the clients.
            if (Files.readString(log).contains("Following [") && status("/ready") == 200) {
                linesAtReady = Files.readAllLines(log).size();
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server was not ready within " + timeout + "; see " + log);
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    URI liveFeed() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/topology");
    }

    List<String> command() {
        return command;
    }

    long pid() {
        return process.pid();
    }

    /** CPU the server's JVM used so far, all its threads. */
    double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** Sums of the Prometheus samples whose line starts with each prefix (name and labels), from /metrics. */
    Map<String, Double> metrics(String... prefixes) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create(base() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (String prefix : prefixes) {
            sums.put(prefix, 0.0);
        }
        for (String line : text.split("\n")) {
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    sums.merge(prefix, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                }
            }
        }
        return sums;
    }

    /** Heap in use now (every heap pool, garbage included), in bytes. */
    long heapUsed() throws IOException, InterruptedException {
        return metrics(HEAP_USED).get(HEAP_USED).longValue();
    }

    static final String HEAP_USED = "jvm_memory_used_bytes{area=\"heap\"";

    /** Asks the server's JVM for a full collection (jcmd GC.run), so the heap that follows is what is live. */
    void collectGarbage() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "GC.run").redirectErrorStream(true).start();
        jcmd.getInputStream().readAllBytes();
        jcmd.waitFor(30, TimeUnit.SECONDS);
    }

    /** The log lines since the server was ready at WARN or ERROR, or naming an exception or OutOfMemoryError. */
    List<String> problems() throws IOException {
        List<String> found = new ArrayList<>();
        List<String> lines = Files.readAllLines(log);
        for (String line : lines.subList(Math.min(linesAtReady, lines.size()), lines.size())) {
            if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception") || line.contains("OutOfMemoryError")) {
                found.add(line);
            }
        }
        return found;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
