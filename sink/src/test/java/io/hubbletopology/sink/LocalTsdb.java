package io.hubbletopology.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real TSDB from Debian's packages ({@code prometheus}, {@code victoria-metrics}) as a child process of the test,
 * on a loopback port of its own with its data in a temp dir: never a system service. Outside CI a missing binary
 * skips the test; with {@code CI=true} it fails it (.ci/run installs both). With {@link Access} it serves https and
 * asks for basic auth, on every endpoint (queries and readiness included).
 */
final class LocalTsdb implements AutoCloseable {

    enum Kind {
        PROMETHEUS("prometheus"), VICTORIA_METRICS("victoria-metrics");

        final String binary;

        Kind(String binary) {
            this.binary = binary;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * TLS with {@code tls} and basic auth for {@code user}: Prometheus checks the password against {@code bcryptHash}
     * (its web config takes only bcrypt), VictoriaMetrics against {@code password}.
     */
    record Access(LoopbackCertificate tls, String user, String password, String bcryptHash) {

        String authorization() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Kind kind;
    private final Path binary;
    private final Path dir;
    private final int port;
    private final Access access;
    private final HttpClient http;
    private Process process;

    private LocalTsdb(Kind kind, Path binary, Path dir, int port, Access access) {
        this.kind = kind;
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.access = access;
        try {
            this.http = access == null ? HttpClient.newHttpClient()
                    : HttpClient.newBuilder().sslContext(access.tls().trustingIt()).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalTsdb start(Kind kind) throws IOException {
        return start(kind, null);
    }

    static LocalTsdb start(Kind kind, Access access) throws IOException {
        Path binary = find(kind.binary);
        if (binary == null) {
            String why = kind.binary + " is not installed (apt-get install -y prometheus victoria-metrics)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        LocalTsdb tsdb = new LocalTsdb(kind, binary, Files.createTempDirectory("sink-it-" + kind.binary), freePort(), access);
        tsdb.startProcess();
        return tsdb;
    }

    String remoteWriteUrl() {
        return base() + "/api/v1/write";
    }

    private String base() {
        return (access == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
        return access == null ? request : request.header("Authorization", access.authorization());
    }

    /** The value of an instant PromQL query that yields one number; 0 when it yields nothing yet. */
    double query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode result = JSON.readTree(response.body()).path("data").path("result");
        return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
    }

    /** The {@code status} of an instant query's answer: {@code success}, or {@code error} with what was wrong. */
    String status(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        return answer.path("status").asText() + (answer.has("error") ? ": " + answer.path("error").asText() : "");
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Same port, same data: what a TSDB restart looks like to the sink. */
    void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (kind == Kind.PROMETHEUS) {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "scrape_configs: []\n");
            command.addAll(List.of("--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver"));
            if (access != null) {
                Path web = dir.resolve("web.yml");
                Files.writeString(web, "tls_server_config:\n  cert_file: " + access.tls().certFile() + "\n  key_file: "
                        + access.tls().keyFile() + "\nbasic_auth_users:\n  " + access.user() + ": '" + access.bcryptHash() + "'\n");
                command.add("--web.config.file=" + web);
            }
        } else {
            // Deduplication keeps one of identical samples, so a replay is not counted twice (docs/topics.md).
            command.addAll(List.of("-storageDataPath=" + dir.resolve("data"), "-httpListenAddr=127.0.0.1:" + port,
                    "-dedup.minScrapeInterval=1ms", "-search.latencyOffset=1s", "-search.disableCache",
                    "-retentionPeriod=100y"));
            if (access != null) {
                command.addAll(List.of("-tls", "-tlsCertFile=" + access.tls().certFile(), "-tlsKeyFile=" + access.tls().keyFile(),
                        "-httpAuth.username=" + access.user(), "-httpAuth.password=" + access.password()));
            }
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tsdb.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                String path = kind == Kind.PROMETHEUS ? "/-/ready" : "/health";
                if (http.send(request(path).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(kind.binary + " exited at start: " + Files.readString(dir.resolve("tsdb.log")));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IllegalStateException(kind.binary + " not ready on port " + port + " within 30 s");
    }

    private static Path find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
