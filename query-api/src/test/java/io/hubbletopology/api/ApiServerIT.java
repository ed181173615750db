package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.api.access.RawRequest;
import io.hubbletopology.api.live.WsClient;
import io.hubbletopology.api.observer.ObserverSettings;
import io.hubbletopology.broker.MetricsReference;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.topics.TopicNames;

/** The REST face on a real processor: JSON errors naming the parameter, no stack traces, metrics, HTTPS. */
@Timeout(120)
class ApiServerIT {

    @TempDir
    static Path dir;
    private static RunningApi run;

    @BeforeAll
    static void start() {
        run = RunningApi.start(FastCommits.config(SharedKafka.bootstrapServers(), "api-it", dir.resolve("state"),
                TopicNames.prefixed("api-it."), Map.of("processor.window.retention", "1h", "kafka.partitions", "1")),
                new ApiSettings("127.0.0.1", 0, "hubble")).awaitRunning();
        // The processor role serves the Observer API beside the API, and its figures on the API's /metrics.
        run.startObserver(ObserverSettings.DEFAULT.withPort(0));
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    /** A GET whose answer is held to what openapi.json says the route answers. */
    private static HttpResponse<String> get(String path) throws Exception {
        return run.getDocumented(path);
    }

    private static HttpResponse<String> unchecked(String path) throws Exception {
        return run.send(path);
    }

    @Test
    void answersABadParameterWith400AndAJsonBodyNamingIt() throws Exception {
        HttpResponse<String> r = get("/api/v1/topology?last=forever");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.body()).contains("\"parameter\":\"last\"").contains("forever").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(get("/api/v1/topology?from=yesterday").body()).contains("\"parameter\":\"from\"");
    }

    @Test
    void answersUnknownPathsWithJson404AndServesTheOldAgentsHealthShape() throws Exception {
        HttpResponse<String> missing = unchecked("/no/such/thing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error\":\"not_found\"");
        ResponseSchemas.assertError(missing.body());
        HttpResponse<String> health = get("/health");
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"mode\":\"hubble\"");
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void answersAPlainGetOnALiveFeedWith426NamingTheUpgradeItNeeds() throws Exception {
        for (String path : List.of("/ws/topology", "/ws/flows", "/ws/topology?namespace=shop")) {
            HttpResponse<String> plain = get(path);
            assertThat(plain.statusCode()).as(path).isEqualTo(426);
            assertThat(plain.headers().firstValue("Upgrade")).as(path).hasValue("websocket");
            assertThat(plain.body()).contains("\"error\":\"upgrade_required\"").contains("Upgrade: websocket")
                    .contains("Sec-WebSocket-Key");
        }
    }

    @Test
    void refusesABadLiveFeedParameterAtTheHandshakeWith400NamingIt() throws Exception {
        Map<String, String> bad = Map.of("/ws/topology?min_flows=lots", "min_flows", "/ws/topology?verdict=maybe", "verdict",
                "/ws/topology?colour=blue", "colour", "/ws/flows?port=http", "port", "/ws/flows?reply=perhaps", "reply",
                "/ws/flows?colour=blue", "colour", "/ws/flows?from-pod=shop/web&not", "not");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            RawRequest.Answer refused = RawRequest.get(e.getKey()).upgrade().send(run.port());
            assertThat(refused.status()).as(e.getKey() + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.head()).doesNotContainIgnoringCase("Upgrade: websocket");
            ResponseSchemas.assertDocumented("GET", ResponseSchemas.template(e.getKey()), 400, refused.body());
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.body()).path("parameter").asText())
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
        // And a good one still opens.
        WsClient fine = WsClient.connect("ws://127.0.0.1:" + run.port() + "/ws/flows?from-pod=shop/web&verdict=dropped", null);
        fine.close();
    }

    @Test
    void exposesPrometheusMetricsForRequestsAndTheLiveFeed() throws Exception {
        get("/topology");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("hubble_topology_http_requests_seconds_count{method=\"GET\",route=\"/topology\",status=\"200\"}");
        assertThat(metrics).contains("hubble_topology_ws_clients{feed=\"topology\"}").contains("hubble_topology_ws_clients{feed=\"flows\"}");
        assertThat(metrics).contains("hubble_topology_ws_messages_sent_total");
        assertThat(metrics).contains("jvm_memory_used_bytes{area=\"heap\"").contains("process_cpu_usage");
        assertThat(metrics).contains("kafka_stream_").contains("hubble_topology_late_flows").contains("hubble_topology_dead_lettered_records");
    }

    @Test
    void scrapeShowsExactlyTheMetricsDocsMetricsMdListsForTheApi() throws Exception {
        // A little of everything first: a topology query, a flow query, a live client.
        assertThat(get("/api/v1/topology").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/flows?limit=10").statusCode()).isEqualTo(200);
        WsClient live = WsClient.connect("ws://127.0.0.1:" + run.port() + "/ws/topology", null);
        MetricsReference doc = MetricsReference.read(MetricsReference.locate());
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    MetricsReference.scrapedFamilies(get("/metrics").body())).containsAllEntriesOf(types(doc.alwaysPresent("api"))));
            Map<String, String> own = MetricsReference.ownFamilies(get("/metrics").body());
            assertThat(types(doc.families("api"))).as("every hubble_topology_* family of the API, with its type, in docs/metrics.md")
                    .containsAllEntriesOf(own);
            assertThat(own).containsKeys("hubble_topology_http_requests_seconds", "hubble_topology_ws_clients");
        } finally {
            live.close();
        }
    }

    private static Map<String, String> types(Map<String, MetricsReference.Family> families) {
        return families.values().stream().collect(java.util.stream.Collectors.toMap(MetricsReference.Family::name, MetricsReference.Family::type));
    }

    @Test
    void servesHttpsFromAKeystore() throws Exception {
        Path keystore = dir.resolve("api.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        ApiSettings https = new ApiSettings("127.0.0.1", 0, "hubble", List.of(), List.of(), 10, Duration.ofSeconds(30), 100,
                Duration.ofSeconds(5), Duration.ofMinutes(5), keystore, "changeit", Duration.ofSeconds(2));
        try (ApiServer secure = new ApiServer(https, run.processor().queryService())) {
            secure.start();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + secure.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"status\":\"ok\"");
        }
    }
}
