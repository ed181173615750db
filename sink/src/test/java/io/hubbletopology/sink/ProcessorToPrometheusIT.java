package io.hubbletopology.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * Flows through a real processor into its {@code topology.edges}, and the sink from there into a real Prometheus:
 * what PromQL sums over the last hour equals the flows the API reports for it, also after the sink was killed
 * (nothing committed after its last write) and started again while the processor went on.
 *
 * <p>The flows are minutes old, so the sink closes each window by the wall clock as soon as it has read its
 * partition to the end. It is started only once the processor has published a phase's flows: a window's early record
 * read on its own would be written as final, and Prometheus refuses the later one at the same time. With live
 * traffic the sink's grace covers that instead (docs/topics.md, "When a window is written").
 */
class ProcessorToPrometheusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String FLOWS = "sum(sum_over_time(hubble_topology_edge_flows[1h]))";
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    private static final int EDGES = 4;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    // Ten-second windows from ten minutes ago: long closed by the wall clock, recent enough for Prometheus' head block.
    private final Instant firstWindow = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void prometheusSumsEqualTheApisFlowsAcrossASinkCrash(@TempDir Path dir) throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed("sink-e2e-" + run + ".");
        // Two-second grace: the sink's must cover it plus the commit interval (sink.window_grace's doc).
        ProcessorConfig config = new ProcessorConfig(kafka, Map.of(), "sink-e2e-" + run, null, dir, 1, 0,
                COMMIT_INTERVAL, false, WINDOW, Duration.ofSeconds(2), Duration.ofHours(1), topics, 2, (short) 1);
        Map<String, String> sinkSettings = Map.of("sink.window_grace", "3s");
        // Not the processor's application id: that is a Streams group, which a plain consumer may not join.
        String group = "sink-e2e-sink-" + run;
        try (LocalTsdb prometheus = LocalTsdb.start(LocalTsdb.Kind.PROMETHEUS);
             TopologyProcessor processor = new TopologyProcessor(config);
             ApiServer api = new ApiServer(new ApiSettings("127.0.0.1", 0, "both"), processor.queryService());
             var producer = new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of()), new StringSerializer(),
                     new ByteArraySerializer())) {
            api.start();
            processor.start("127.0.0.1:" + api.port());
            await().atMost(Duration.ofSeconds(60)).until(processor::running);

            long first = produce(producer, topics, 0, 6);
            awaitPublished(api, first);
            TsdbSink sink = LocalSink.start(prometheus, kafka, topics.edgeUpdates(), topics.linkChanges(), group, sinkSettings);
            awaitSum(prometheus, first);

            // A crash: the restarted sink reads on from its last commit, past what the processor published meanwhile.
            sink.halt();
            long both = first + produce(producer, topics, 6, 12);
            awaitPublished(api, both);
            sink = LocalSink.start(prometheus, kafka, topics.edgeUpdates(), topics.linkChanges(), group, sinkSettings);
            awaitSum(prometheus, both);
            assertThat(flows(get(api, "/api/v1/topology?last=1h"))).isEqualTo(both);
            sink.stop();
        }
    }

    /** Flows of each edge in windows {@code from} (inclusive) to {@code to}, in time order; returns how many. */
    private long produce(KafkaProducer<String, byte[]> producer, TopicNames topics, int from, int to) throws Exception {
        long sent = 0;
        for (int w = from; w < to; w++) {
            Instant start = firstWindow.plus(WINDOW.multipliedBy(w));
            for (int i = 0; i < 3 + w % 4; i++) {
                for (int e = 0; e < EDGES; e++) {
                    long ms = start.toEpochMilli() + 1_000L * i + e;
                    FlowRecord f = FlowRecord.newBuilder().setTimeUnixNanos(ms * 1_000_000L).setVerdict(Verdict.FORWARDED)
                            .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod("web-0"))
                            .setDestination(EndpointRef.newBuilder().setNamespace("shop").setPod("cart-" + e))
                            .setProtocol(L4Protocol.TCP).setDestinationPort(8080 + e).build();
                    producer.send(new ProducerRecord<>(topics.flows(), null, ms, EdgeKey.of(f).text(), f.toByteArray()));
                    sent++;
                }
            }
        }
        producer.flush();
        return sent;
    }

    /**
     * Until the API counts them all, and then a few commit intervals more: the API reads the stores, which may be
     * ahead of {@code topology.edges} by up to one commit (the cache is flushed to both at commit).
     */
    private static void awaitPublished(ApiServer api, long flows) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> flows(get(api, "/api/v1/topology?last=1h")) == flows);
        Thread.sleep(COMMIT_INTERVAL.multipliedBy(5).toMillis());
    }

    private static void awaitSum(LocalTsdb tsdb, long expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(tsdb.query(FLOWS)).isEqualTo((double) expected));
    }

    private static long flows(JsonNode topology) {
        long sum = 0;
        for (JsonNode link : topology.path("links")) {
            sum += link.path("flows").asLong();
        }
        return sum;
    }

    private static JsonNode get(ApiServer api, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
