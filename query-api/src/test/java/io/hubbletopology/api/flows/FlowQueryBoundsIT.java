package io.hubbletopology.api.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * A flow query's work is bounded as configured: with {@code api.flows.max_scanned} far below the topic's records a
 * query answers what it found, truncated, and following {@code next_cursor} yields every matching flow exactly
 * once; a busy reader pool answers 503 with Retry-After within {@code api.flows.pool_wait}.
 */
@Timeout(120)
class FlowQueryBoundsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicNames TOPICS = TopicNames.prefixed("flow-bounds-it.");
    private static final int COUNT = 900;
    private static final int MAX_SCANNED = 120;
    @TempDir
    static Path dir;
    private static RunningApi run;
    private static ApiServer api;
    private static final Set<String> dropped = new HashSet<>();
    private static final Set<String> all = new HashSet<>();
    private static Instant t0;

    @BeforeAll
    static void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        // The bounds are set the way an operator sets them: through their keys.
        ApiSettings settings = ApiSettings.from(ConfigValues.of(Map.of("api.host", "127.0.0.1", "api.port", "0",
                "api.flows.max_scanned", String.valueOf(MAX_SCANNED), "api.flows.pool_wait", "300ms")), "hubble");
        run = RunningApi.start(ProcessorConfig.defaults(kafka, "flow-bounds-it", dir.resolve("state"), TOPICS,
                Map.of("processor.commit_interval", "100ms", "processor.window.grace", "5m",
                        "processor.window.retention", "2d", "kafka.replication_factor", "1")),
                settings);
        api = run.api();
        t0 = Instant.now().minus(Duration.ofMinutes(40)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of("linger.ms", 5)),
                new StringSerializer(), new ByteArraySerializer())) {
            List<FlowRecord> flows = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                boolean drop = i % 9 == 0;
                FlowRecord f = FlowRecord.newBuilder().setTimeUnixNanos(t0.plusSeconds(i).toEpochMilli() * 1_000_000L + i)
                        .setUuid("flow-" + i).setVerdict(drop ? Verdict.DROPPED : Verdict.FORWARDED)
                        .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod("web-" + (i % 5)))
                        .setDestination(EndpointRef.newBuilder().setNamespace("data").setPod("db-" + (i % 3)))
                        .setProtocol(L4Protocol.TCP).setDestinationPort(5432 + i % 4).setNodeName("node-a").build();
                all.add(time(f));
                if (drop) {
                    dropped.add(time(f));
                }
                flows.add(f);
            }
            FlowsTopicWriter.sendAll(producer, TOPICS.flows(), flows);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> run.processor().running() && api.flowTailFollowing());
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    private static String time(FlowRecord f) {
        long nanos = f.getTimeUnixNanos();
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).toString();
    }

    private static HttpResponse<String> send(String query) throws Exception {
        return run.send("/api/v1/flows?" + query);
    }

    private static String range() {
        return "since=" + enc(t0.minusSeconds(1).toString()) + "&until=" + enc(t0.plusSeconds(COUNT + 1).toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Every flow time of every page, following next_cursor; asserts what each page says of itself. */
    private static List<String> allPages(String query, List<JsonNode> pages) throws Exception {
        List<String> times = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 500; page++) {
            HttpResponse<String> r = send(query + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            pages.add(body);
            assertThat(body.path("scanned").asLong()).as("records read by one query").isLessThanOrEqualTo(MAX_SCANNED);
            body.path("flows").forEach(f -> times.add(f.path("time").asText()));
            if (body.path("next_cursor").isNull()) {
                return times;
            }
            cursor = body.path("next_cursor").asText();
        }
        throw new AssertionError("more than 500 pages");
    }

    @Test
    void aQueryReachingMaxScannedSaysSoAndItsCursorsYieldEveryMatchingFlowExactlyOnce() throws Exception {
        for (String order : List.of("newest", "oldest")) {
            List<JsonNode> pages = new ArrayList<>();
            List<String> times = allPages(range() + "&verdict=dropped&limit=1000&order=" + order, pages);
            assertThat(pages.get(0).path("truncated").asBoolean()).as(pages.get(0).toString()).isTrue();
            assertThat(pages.get(0).path("truncated_reason").asText()).isEqualTo("max_scanned");
            assertThat(pages.get(0).path("next_cursor").isNull()).isFalse();
            assertThat(pages.get(pages.size() - 1).path("truncated").asBoolean()).isFalse();
            assertThat(times).as(order + " first: each dropped flow once").doesNotHaveDuplicates().hasSameSizeAs(dropped);
            assertThat(new HashSet<>(times)).isEqualTo(dropped);
        }
    }

    @Test
    void smallPagesOverATruncatingScanStillGiveEveryFlowOnce() throws Exception {
        List<String> times = allPages(range() + "&limit=37", new ArrayList<>());
        assertThat(times).doesNotHaveDuplicates().hasSameSizeAs(all);
        assertThat(new HashSet<>(times)).isEqualTo(all);
    }

    @Test
    void aBusyReaderPoolAnswers503WithRetryAfterWithinThePoolWait() throws Exception {
        try (AutoCloseable held = api.flowSearch().holdAllReaders()) {
            long started = System.nanoTime();
            HttpResponse<String> r = send(range());
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("error").asText()).isEqualTo("busy");
            assertThat(tookMs).as("waited for a reader (pool_wait 300ms)").isBetween(250L, 3_000L);
        }
        assertThat(send(range() + "&limit=1").statusCode()).as("readers given back").isEqualTo(200);
    }
}
