package io.hubbletopology.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.HttpRecord;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * Flows through a real processor into its {@code topology.edges}, and the sink from there into a real Prometheus:
 * what PromQL sums over the last hour equals what the API and the query facade report for it.
 *
 * <p>Two ways of running. Replayed: flows minutes old, so the sink closes each window by the wall clock as soon as it
 * has read its partition to the end; it is started only once the processor has published a phase's flows (a window's
 * early record read on its own would be written as final, and Prometheus refuses the later one at the same time),
 * and is killed and started again between phases. Live: sink and processor run side by side while flows arrive with
 * the current time, as in a cluster; the sink's grace covers the processor's late updates, and once traffic stops
 * the last windows are written by the wall clock (docs/topics.md, "When a window is written").
 */
class ProcessorToPrometheusIT {

    private static final String FLOWS = "sum(sum_over_time(hubble_topology_edge_flows[1h]))";
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    private static final int EDGES = 4;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    // Not the processor's application id: that is a Streams group, which a plain consumer may not join.
    private final String group = "sink-e2e-sink-" + run;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void prometheusSumsEqualTheApisFlowsAcrossASinkCrash(@TempDir Path dir) throws Exception {
        // Ten-second windows from ten minutes ago: long closed by the wall clock, recent enough for Prometheus' head block.
        Instant firstWindow = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        Duration window = Duration.ofSeconds(10);
        // Two-second grace: the sink's must cover it plus the commit interval (sink.window_grace's doc).
        try (Pipeline p = Pipeline.start(dir, "sink-e2e-" + run, window, Duration.ofSeconds(2))) {
            Map<String, String> sinkSettings = Map.of("sink.window_grace", "3s");
            long first = produceReplayed(p, firstWindow, window, 0, 6);
            awaitPublished(p.api, first);
            TsdbSink sink = p.startSink(group, sinkSettings);
            awaitSum(p.prometheus, FLOWS, first);

            // A crash: the restarted sink reads on from its last commit, past what the processor published meanwhile.
            sink.halt();
            long both = first + produceReplayed(p, firstWindow, window, 6, 12);
            awaitPublished(p.api, both);
            sink = p.startSink(group, sinkSettings);
            awaitSum(p.prometheus, FLOWS, both);
            assertThat(RunningApi.flows(p.api.getOk("/api/v1/topology?last=1h"))).isEqualTo(both);
            sink.stop();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void prometheusSumsEqualTheApisCountsWithTheSinkRunningBesideTheProcessorOnLiveTraffic(@TempDir Path dir) throws Exception {
        Duration window = Duration.ofSeconds(2);
        // Processor grace 1 s + commit 0.2 s; the sink waits 5 s, room for a busy machine.
        try (Pipeline p = Pipeline.start(dir, "sink-live-" + run, window, Duration.ofSeconds(1))) {
            Instant startedAt = Instant.now();
            // Once its first flows are counted the processor keeps up with the wall clock; before, it may lag by more
            // than the sink's grace while its tasks start, which in a cluster a larger grace covers.
            long[] warmUp = produceLive(p, Duration.ZERO);
            awaitPublished(p.api, warmUp[0]);
            TsdbSink sink = p.startSink(group, Map.of("sink.window_grace", "5s"));
            long[] sent = produceLive(p, Duration.ofSeconds(8));
            for (int i = 0; i < sent.length; i++) {
                sent[i] += warmUp[i];
            }
            long flows = sent[0];
            awaitPublished(p.api, flows);
            // Nothing more arrives: the last windows reach Prometheus by the wall clock alone.
            awaitSum(p.prometheus, FLOWS, flows);
            assertThat(RunningApi.flows(p.api.getOk("/api/v1/topology?last=1h"))).isEqualTo(flows);

            long httpRequests = p.api.processor().queries().topology(startedAt.minusSeconds(60), Instant.now().plusSeconds(60))
                    .stream().map(EdgeStats::http).mapToLong(EdgeStats.Http::requests).sum();
            assertThat(httpRequests).isEqualTo(sent[1]);
            awaitSum(p.prometheus, "sum(sum_over_time(hubble_topology_edge_http_requests[1h]))", httpRequests);
            assertThat(p.prometheus.query("sum(sum_over_time(hubble_topology_edge_http_requests{method=\"POST\"}[1h]))"))
                    .isEqualTo((double) sent[2]);
            sink.stop();
        }
    }

    /** A processor with its API and a Prometheus, on topics of their own. */
    private record Pipeline(LocalTsdb prometheus, RunningApi api, KafkaProducer<String, byte[]> producer,
                            TopicNames topics) implements AutoCloseable {

        static Pipeline start(Path dir, String name, Duration window, Duration grace) throws Exception {
            String kafka = SharedKafka.bootstrapServers();
            TopicNames topics = TopicNames.prefixed(name + ".");
            ProcessorConfig config = ProcessorConfig.defaults(kafka, name, dir, topics,
                    Map.of("processor.commit_interval", COMMIT_INTERVAL.toMillis() + "ms",
                            "processor.window.size", window.toMillis() + "ms",
                            "processor.window.grace", grace.toMillis() + "ms", "processor.window.retention", "1h",
                            "kafka.partitions", "2", "kafka.replication_factor", "1"));
            LocalTsdb prometheus = LocalTsdb.start(LocalTsdb.Kind.PROMETHEUS);
            RunningApi api;
            try {
                api = RunningApi.start(config, new ApiSettings("127.0.0.1", 0, "both"));
            } catch (RuntimeException | Error e) {
                prometheus.close();
                throw e;
            }
            Pipeline p = new Pipeline(prometheus, api, FlowsTopicWriter.producer(kafka), topics);
            try {
                api.awaitRunning();
                return p;
            } catch (RuntimeException | Error e) {
                p.close();
                throw e;
            }
        }

        TsdbSink startSink(String group, Map<String, String> settings) {
            return LocalSink.start(prometheus, SharedKafka.bootstrapServers(), topics.edgeUpdates(), topics.linkChanges(),
                    group, settings);
        }

        void send(FlowRecord f, long ms) {
            producer.send(new ProducerRecord<>(topics.flows(), null, ms, EdgeKey.of(f).text(), f.toByteArray()));
        }

        @Override
        public void close() throws Exception {
            producer.close();
            api.close();
            prometheus.close();
        }
    }

    /** Flows of each edge in windows {@code from} (inclusive) to {@code to}, in time order; returns how many. */
    private static long produceReplayed(Pipeline p, Instant firstWindow, Duration window, int from, int to) {
        long sent = 0;
        for (int w = from; w < to; w++) {
            Instant start = firstWindow.plus(window.multipliedBy(w));
            for (int i = 0; i < 3 + w % 4; i++) {
                for (int e = 0; e < EDGES; e++) {
                    long ms = start.toEpochMilli() + 1_000L * i + e;
                    p.send(flow(e, ms).build(), ms);
                    sent++;
                }
            }
        }
        p.producer.flush();
        return sent;
    }

    /**
     * For {@code duration} (at least once), every 50 ms a flow of each edge at the current time, every other one an HTTP request (GET
     * or POST, with a query string the route drops). Returns flows, HTTP requests and POSTs sent.
     */
    private static long[] produceLive(Pipeline p, Duration duration) throws InterruptedException {
        long[] sent = new long[3];
        long end = System.nanoTime() + duration.toNanos();
        for (int i = 0; i == 0 || System.nanoTime() < end; i++) {
            for (int e = 0; e < EDGES; e++) {
                long ms = System.currentTimeMillis();
                FlowRecord.Builder f = flow(e, ms);
                if ((i + e) % 2 == 0) {
                    String method = i % 3 == 0 ? "POST" : "GET";
                    f.setL7(L7Record.newBuilder().setType(L7FlowType.REQUEST)
                            .setHttp(HttpRecord.newBuilder().setMethod(method).setUrl("http://cart:8080/api/cart?id=" + i)));
                    sent[1]++;
                    sent[2] += method.equals("POST") ? 1 : 0;
                }
                p.send(f.build(), ms);
                sent[0]++;
            }
            Thread.sleep(50);
        }
        p.producer.flush();
        return sent;
    }

    private static FlowRecord.Builder flow(int edge, long ms) {
        return FlowRecord.newBuilder().setTimeUnixNanos(ms * 1_000_000L).setVerdict(Verdict.FORWARDED)
                .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod("web-0"))
                .setDestination(EndpointRef.newBuilder().setNamespace("shop").setPod("cart-" + edge))
                .setProtocol(L4Protocol.TCP).setDestinationPort(8080 + edge);
    }

    /**
     * Until the API counts them all, and then a few commit intervals more: the API reads the stores, which may be
     * ahead of {@code topology.edges} by up to one commit (the cache is flushed to both at commit).
     */
    private static void awaitPublished(RunningApi api, long flows) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> RunningApi.flows(api.getOk("/api/v1/topology?last=1h")) == flows);
        Thread.sleep(COMMIT_INTERVAL.multipliedBy(5).toMillis());
    }

    private static void awaitSum(LocalTsdb tsdb, String promql, long expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(tsdb.query(promql)).isEqualTo((double) expected));
    }
}
