package io.hubbletopology.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.sink.health.SinkMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The sink against a real Prometheus and a real VictoriaMetrics: what PromQL sums over the written series equals
 * the flows put on the topic, after a sink crash and restart, after a replay by a second group (identical samples,
 * no double count) and across a TSDB restart; and every example PromQL of docs/topics.md runs on both.
 */
class TsdbSinkIT {

    private static final String FLOWS = "sum(sum_over_time(hubble_topology_edge_flows[1h]))";
    private static final String DROPS = "sum(sum_over_time(hubble_topology_edge_drops{reason=\"POLICY_DENIED\"}[1h]))";
    // Every forwarded flow of these edges is an HTTP GET answered 2xx (L7 visibility with replies).
    private static final String HTTP_GETS = "sum(sum_over_time(hubble_topology_edge_http_requests{method=\"GET\"}[1h]))";
    private static final int PARTITIONS = 3;
    private static final int EDGES = 6;
    /** link_up and the four rates of the one link state produced. */
    private static final int LINK_SAMPLES = 5;

    // Ten-second windows ending between ten and two minutes ago: recent enough for Prometheus' head block.
    private final TestRun run = TestRun.start("sink-it", Duration.ofMinutes(10));

    @ParameterizedTest
    @EnumSource(LocalTsdb.Kind.class)
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void promqlSumsEqualTheFlowsThatWentInThroughCrashReplayAndTsdbRestart(LocalTsdb.Kind kind) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(run.edgesTopic(), PARTITIONS, (short) 1), new NewTopic(run.linksTopic(), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (LocalTsdb tsdb = LocalTsdb.start(kind);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SharedKafka.producerConfig(bootstrap, Map.of()),
                     new StringSerializer(), new ByteArraySerializer())) {
            long[] expected = produceWindows(producer, 0, 12, true);
            produceLink(producer);

            TsdbSink sink = startSink(bootstrap, tsdb, "sink-it-" + run.id(), new SinkMetrics(new SimpleMeterRegistry()));
            awaitSum(tsdb, FLOWS, expected[0]);
            assertThat(tsdb.query(DROPS)).isEqualTo(expected[1]);
            assertThat(tsdb.query(HTTP_GETS)).isEqualTo(expected[0] - expected[1]);
            assertThat(tsdb.query("last_over_time(hubble_topology_link_up{node=\"worker-1\",interface=\"eth0\",cluster=\"it\"}[1h])")).isEqualTo(1);
            assertThat(tsdb.query("last_over_time(hubble_topology_link_receive_bytes_per_second{node=\"worker-1\"}[1h])")).isEqualTo(1250.5);
            // What docs/topics.md tells operators to type runs on this TSDB.
            List<String> documented = DocumentedPromql.expressions();
            assertThat(documented).hasSizeGreaterThan(10);
            for (String promql : documented) {
                assertThat(tsdb.status(promql)).as(promql).isEqualTo("success");
            }

            // A crash: nothing more committed; the restarted sink reads on from the last commit.
            sink.halt();
            long[] more = produceWindows(producer, 12, 24, true);
            sink = startSink(bootstrap, tsdb, "sink-it-" + run.id(), new SinkMetrics(new SimpleMeterRegistry()));
            long flows = expected[0] + more[0];
            awaitSum(tsdb, FLOWS, flows);

            // A replay of everything by a second group writes the same samples again: the sums do not move.
            SimpleMeterRegistry replayRegistry = new SimpleMeterRegistry();
            TsdbSink replay = startSink(bootstrap, tsdb, "sink-it-replay-" + run.id(), new SinkMetrics(replayRegistry));
            // Per edge window: FORWARDED and DROPPED flows, POLICY_DENIED drops, GET requests, 2xx responses.
            int samples = EDGES * 24 * 5 + LINK_SAMPLES;
            await().atMost(Duration.ofSeconds(40)).until(() -> counted(replayRegistry, "hubble_topology_sink_samples_sent")
                    + counted(replayRegistry, "hubble_topology_sink_samples_failed") >= samples);
            replay.stop();
            Thread.sleep(1500); // VictoriaMetrics makes new samples searchable after about a second
            assertThat(tsdb.query(FLOWS)).isEqualTo(flows);
            assertThat(tsdb.query(DROPS)).isEqualTo(expected[1] + more[1]);
            assertThat(tsdb.query(HTTP_GETS)).isEqualTo(flows - expected[1] - more[1]);

            // The TSDB goes away while there is more to write: the sink retries until it is back.
            tsdb.stop();
            // Final records only: a partial record of a long-ended window, read before its final one is produced,
            // would be final by the wall clock, which the processor never makes happen (it publishes while the window is open).
            long[] last = produceWindows(producer, 24, 30, false);
            Thread.sleep(1500);
            tsdb.restart();
            awaitSum(tsdb, FLOWS, flows + last[0]);
            sink.stop();
        }
    }

    private TsdbSink startSink(String bootstrap, LocalTsdb tsdb, String group, SinkMetrics metrics) {
        return LocalSink.start(tsdb, bootstrap, run.edgesTopic(), run.linksTopic(), group, Map.of("sink.window_grace", "1s"), metrics);
    }

    /**
     * Each edge's windows {@code from} (inclusive) to {@code to}: a first, partial record, then the window's final
     * figures, as the processor publishes them (or the final ones alone). Returns the final flows and POLICY_DENIED drops put in.
     */
    private long[] produceWindows(KafkaProducer<String, byte[]> producer, int from, int to, boolean withPartial) throws Exception {
        long flows = 0;
        long drops = 0;
        for (int w = from; w < to; w++) {
            Instant start = run.firstWindow().plusSeconds(10L * w);
            for (int e = 0; e < EDGES; e++) {
                long forwarded = 10 + e + w;
                long dropped = 1 + (e + w) % 3;
                EdgeStats partial = stats(e, forwarded / 2, 0);
                EdgeStats done = stats(e, forwarded, dropped);
                for (EdgeStats s : withPartial ? List.of(partial, done) : List.of(done)) {
                    EdgeUpdate update = EdgeUpdate.of(start, start.plusSeconds(10), s);
                    producer.send(new ProducerRecord<>(run.edgesTopic(), e % PARTITIONS, update.topicKey(),
                            OutputJson.MAPPER.writeValueAsBytes(update))).get();
                }
                flows += forwarded + dropped;
                drops += dropped;
            }
        }
        return new long[] {flows, drops};
    }

    private void produceLink(KafkaProducer<String, byte[]> producer) throws Exception {
        LinkState link = new LinkState(null, "worker-1", "eth0", "up", 1, 10_000L, 1500, "02:42:ac:11:00:02", 1250.5, 1.0,
                0.0, 0.0, run.firstWindow(), run.firstWindow().plusSeconds(5), false);
        producer.send(new ProducerRecord<>(run.linksTopic(), link.key().text(), OutputJson.MAPPER.writeValueAsBytes(link))).get();
    }

    private static EdgeStats stats(int edge, long forwarded, long dropped) {
        Map<String, Long> verdicts = dropped == 0 ? Map.of("FORWARDED", forwarded) : Map.of("FORWARDED", forwarded, "DROPPED", dropped);
        Map<String, Long> reasons = dropped == 0 ? Map.of() : Map.of("POLICY_DENIED", dropped);
        String src = edge % 2 == 0 ? "shop/deployment/frontend" : "reserved:world";
        EdgeStats.Http http = new EdgeStats.Http(forwarded, Map.of("2xx", forwarded),
                List.of(new EdgeStats.Route("GET", "/api/cart", forwarded)), 0);
        return new EdgeStats(src, "shop/deployment/cart-" + edge, edge % 2 == 0 ? "shop" : "", "shop", "TCP", 8080 + edge,
                forwarded + dropped, verdicts, reasons, null, http, null, null, false, List.of("worker-1"), null, null);
    }

    private static void awaitSum(LocalTsdb tsdb, String promql, long expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(tsdb.query(promql)).isEqualTo((double) expected));
    }

    private static double counted(SimpleMeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
