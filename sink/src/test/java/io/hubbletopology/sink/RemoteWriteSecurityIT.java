package io.hubbletopology.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.sink.health.SinkMetrics;
import io.hubbletopology.sink.remote.RemoteWriteClient;
import io.hubbletopology.sink.remote.RemoteWriteTarget;
import io.hubbletopology.sink.remote.WriteOutcome;
import io.hubbletopology.sink.series.Sample;
import io.hubbletopology.sink.series.SeriesMapping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Remote write's credentials and TLS as the sink's documented options set them (docs/configuration.md, "sink"):
 * basic auth and a self-signed certificate trusted through {@code sink.tls.ca_file}, against a real Prometheus
 * (web config) and a real VictoriaMetrics ({@code -tls}, {@code -httpAuth.*}); a bearer token from its file and a
 * Mimir tenant against a loopback receiver that checks them, since neither TSDB does.
 */
class RemoteWriteSecurityIT {

    private static final String USER = "sink";
    private static final String PASSWORD = "remote-write-secret";
    // bcrypt (cost 4) of PASSWORD, made with python3 crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)):
    // Prometheus' web config takes only a bcrypt hash, and the JDK cannot make one. Prometheus checks PASSWORD against it.
    private static final String PASSWORD_BCRYPT = "$2b$04$HrHE/gTn7cndGs.eXuXRF..YSC8AThTfESQMBlS6aa288WiWElhki";
    private static final int EDGES = 3;
    private static final int WINDOWS = 4;

    private final TestRun run = TestRun.start("sink-sec", Duration.ofMinutes(5));

    @ParameterizedTest
    @EnumSource(LocalTsdb.Kind.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void writesOverTlsWithBasicAuthAndIsRefusedWithoutEither(LocalTsdb.Kind kind, @TempDir Path dir) throws Exception {
        LoopbackCertificate tls = LoopbackCertificate.create(dir);
        try (LocalTsdb tsdb = LocalTsdb.start(kind, new LocalTsdb.Access(tls, USER, PASSWORD, PASSWORD_BCRYPT))) {
            URI url = URI.create(tsdb.remoteWriteUrl());
            List<Sample> probe = new SeriesMapping(Map.of()).edge(update(0, 0));
            WriteOutcome wrongPassword = new RemoteWriteClient(new RemoteWriteTarget(url, basic("not-" + PASSWORD),
                    tls.certFile(), null, Duration.ofSeconds(5))).write(probe);
            assertThat(wrongPassword.kind()).isEqualTo(WriteOutcome.Kind.REJECTED);
            assertThat(wrongPassword.status()).isEqualTo(401);
            WriteOutcome untrusted = new RemoteWriteClient(new RemoteWriteTarget(url, basic(PASSWORD), null, null,
                    Duration.ofSeconds(5))).write(probe);
            assertThat(untrusted.kind()).isEqualTo(WriteOutcome.Kind.RETRY);
            assertThat(untrusted.reason()).contains("SSLHandshakeException");

            long flows = produce();
            TsdbSink sink = LocalSink.start(tsdb, SharedKafka.bootstrapServers(), run.edgesTopic(), run.linksTopic(),
                    "sink-sec-" + run.id(), Map.of("sink.window_grace", "1s", "sink.tls.ca_file", tls.certFile().toString(),
                            "sink.basic_auth.username", USER, "sink.basic_auth.password", PASSWORD));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(tsdb.query("sum(sum_over_time(hubble_topology_edge_flows{cluster=\"it\"}[1h]))")).isEqualTo(flows));
            sink.stop();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sendsTheBearerTokenFromItsFileAndTheTenantOnEveryRequest(@TempDir Path dir) throws Exception {
        LoopbackCertificate tls = LoopbackCertificate.create(dir);
        Path tokenFile = Files.writeString(dir.resolve("token"), "token-" + run.id() + "\n");
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver(tls, "Bearer token-" + run.id())) {
            produce();
            List<Sample> expected = new ArrayList<>();
            SeriesMapping mapping = new SeriesMapping(Map.of("cluster", "it"));
            for (int w = 0; w < WINDOWS; w++) {
                for (int e = 0; e < EDGES; e++) {
                    expected.addAll(mapping.edge(update(w, e)));
                }
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            TsdbSink sink = LocalSink.start(receiver.url(), SharedKafka.bootstrapServers(), run.edgesTopic(), run.linksTopic(),
                    "sink-sec-bearer-" + run.id(), Map.of("sink.window_grace", "1s", "sink.tls.ca_file", tls.certFile().toString(),
                            "sink.bearer_token_file", tokenFile.toString(), "sink.tenant", "team-a"),
                    new SinkMetrics(registry));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    receiver.received().stream().mapToInt(r -> r.samples().size()).sum() >= expected.size());
            sink.stop();

            List<Sample> got = new ArrayList<>();
            for (RemoteWriteReceiver.Received r : receiver.received()) {
                assertThat(r.headers()).containsEntry("authorization", "Bearer token-" + run.id())
                        .containsEntry("x-scope-orgid", "team-a").containsEntry("content-encoding", "snappy")
                        .containsEntry("content-type", "application/x-protobuf")
                        .containsEntry("x-prometheus-remote-write-version", "0.1.0");
                got.addAll(r.samples());
            }
            // At least once: a batch may come twice, but nothing else, and each sample as the record says.
            assertThat(new HashSet<>(got)).isEqualTo(new HashSet<>(expected));
            assertThat(registry.find("hubble_topology_sink_samples_failed").counters()).allMatch(c -> c.count() == 0);
        }
    }

    private String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The final record of each edge's window, long closed by the wall clock; returns the flows put in. */
    private long produce() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(run.edgesTopic())) {
                admin.createTopics(List.of(new NewTopic(run.edgesTopic(), 1, (short) 1), new NewTopic(run.linksTopic(), 1, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
        }
        long flows = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SharedKafka.producerConfig(bootstrap, Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int w = 0; w < WINDOWS; w++) {
                for (int e = 0; e < EDGES; e++) {
                    EdgeUpdate update = update(w, e);
                    producer.send(new ProducerRecord<>(run.edgesTopic(), update.topicKey(),
                            OutputJson.MAPPER.writeValueAsBytes(update))).get();
                    flows += update.stats().flows();
                }
            }
        }
        return flows;
    }

    private EdgeUpdate update(int window, int edge) {
        Instant start = run.firstWindow().plusSeconds(10L * window);
        long flows = 5 + window + edge;
        return EdgeUpdate.of(start, start.plusSeconds(10), new EdgeStats("shop/deployment/frontend",
                "shop/deployment/cart-" + edge, "shop", "shop", "TCP", 8080, flows, Map.of("FORWARDED", flows), Map.of(),
                null, null, null, null, false, List.of("worker-1"), null, null));
    }
}
