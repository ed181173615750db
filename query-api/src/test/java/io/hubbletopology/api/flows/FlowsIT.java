package io.hubbletopology.api.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.api.ResponseSchemas;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.api.live.WsClient;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.CiliumEventType;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.HTTPHeader;
import io.hubbletopology.hubble.flow.Layer7;
import io.hubbletopology.hubble.flow.NetworkInterface;
import io.hubbletopology.hubble.flow.Policy;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * Flows served from the flows topic on the real broker: published with known times, then asked for by time
 * range and by each filter, across pages, in both orders; a range past retention says so; the live tail sends
 * only matching flows and tells a slow client what it skipped.
 */
@Timeout(180)
class FlowsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicNames TOPICS = TopicNames.prefixed("flows-it.");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int COUNT = 600;
    @TempDir
    static Path dir;
    private static RunningApi run;
    private static ApiServer api;
    private static KafkaProducer<String, byte[]> producer;
    private static final List<FlowRecord> sent = new ArrayList<>();
    private static Instant t0;
    /** Ten minutes before the others, with what only Hubble's Flow carries (interface, policies, headers, subtype). */
    private static final Flow HUBBLE_FLOW = Flow.newBuilder()
            .setTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(Instant.now().minus(Duration.ofMinutes(40)).getEpochSecond()))
            .setUuid("hubble-0").setNodeName("cluster-a/node-c").setVerdict(Verdict.DROPPED)
            .setEventType(CiliumEventType.newBuilder().setType(5).setSubType(1))
            .setSource(Endpoint.newBuilder().setNamespace("shop").setPodName("web-9"))
            .setDestination(Endpoint.newBuilder().setNamespace("data").setPodName("db-0"))
            .setInterface(NetworkInterface.newBuilder().setIndex(7).setName("lxc7"))
            .addEgressDeniedBy(Policy.newBuilder().setName("deny-web").setNamespace("shop").setKind("CiliumNetworkPolicy"))
            .setL7(Layer7.newBuilder().setHttp(io.hubbletopology.hubble.flow.HTTP.newBuilder().setMethod("GET").setUrl("/x")
                    .addHeaders(HTTPHeader.newBuilder().setKey("x-request-id").setValue("abc"))))
            .build();

    @BeforeAll
    static void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        run = RunningApi.start(FastCommits.config(kafka, "flows-it", dir.resolve("state"), TOPICS,
                Map.of("processor.window.retention", "2d")),
                new ApiSettings("127.0.0.1", 0, "hubble").withLiveLimits(10, 20, Duration.ofSeconds(30)));
        api = run.api();
        producer = new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of("linger.ms", 5)), new StringSerializer(), new ByteArraySerializer());
        // One flow a second for ten minutes, thirty minutes ago, with every attribute the filters look at varying.
        t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // First, so that the topic's times stay in order: one flow as the ingest publishes it, the Flow inside.
        FlowRecord fromHubble = FlowRecords.fromHubble(HUBBLE_FLOW, "agent-node");
        producer.send(FlowsTopicWriter.record(TOPICS.flows(), fromHubble)).get(30, TimeUnit.SECONDS);
        String[] namespaces = {"shop", "data", "payments"};
        String[] nodes = {"node-a", "node-b"};
        List<FlowRecord> batch = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            boolean dropped = i % 7 == 0;
            FlowRecord.Builder flow = FlowRecord.newBuilder()
                    .setTimeUnixNanos(t0.plusSeconds(i).toEpochMilli() * 1_000_000L + i)
                    .setUuid("flow-" + i)
                    .setVerdict(dropped ? Verdict.DROPPED : Verdict.FORWARDED)
                    .setDropReason(dropped ? (i % 2 == 0 ? DropReason.POLICY_DENIED : DropReason.CT_MISSING_TCP_ACK_FLAG) : DropReason.DROP_REASON_UNKNOWN)
                    .setSource(EndpointRef.newBuilder().setNamespace(namespaces[i % 3]).setPod("web-" + (i % 4))
                            .setWorkloadKind("Deployment").setWorkloadName("web").setIp("10.0.0." + (i % 4)))
                    .setDestination(EndpointRef.newBuilder().setNamespace("data").setPod("db-0")
                            .setWorkloadKind("StatefulSet").setWorkloadName("db").setIp("10.0.1.1"))
                    .setProtocol(i % 5 == 0 ? L4Protocol.UDP : L4Protocol.TCP)
                    .setDestinationPort(i % 5 == 0 ? 53 : 5432)
                    .setNodeName(nodes[i % 2])
                    .setIsReply(i % 3 == 0);
            FlowRecord f = flow.build();
            batch.add(f);
        }
        FlowsTopicWriter.sendAll(producer, TOPICS.flows(), batch);
        sent.addAll(batch);
        await().atMost(Duration.ofSeconds(60)).until(() -> run.processor().running() && api.flowTailFollowing());
    }

    @AfterAll
    static void stop() {
        run.close();
        producer.close();
    }

    private static JsonNode get(String query) throws Exception {
        return run.getDocumentedJson("/api/v1/flows?" + query);
    }

    private static String range() {
        return "since=" + enc(t0.minusSeconds(1).toString()) + "&until=" + enc(t0.plusSeconds(COUNT + 1).toString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Every page of a query, following the cursor. */
    private static List<String> allPages(String query) throws Exception {
        List<String> uuids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            JsonNode body = get(query + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            assertThat(body.path("http_status").asInt()).as(body.toString()).isEqualTo(200);
            body.path("flows").forEach(f -> uuids.add(uuidOf(f)));
            if (body.path("next_cursor").isNull()) {
                return uuids;
            }
            cursor = body.path("next_cursor").asText();
        }
        throw new AssertionError("more than 100 pages");
    }

    /** The flow a lean JSON stands for, found by time among those sent (the lean form carries no uuid). */
    private static String uuidOf(JsonNode flow) {
        Instant time = Instant.parse(flow.path("time").asText());
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        return sent.stream().filter(f -> f.getTimeUnixNanos() == nanos).findFirst().orElseThrow().getUuid();
    }

    private static List<String> expected(Predicate<FlowRecord> filter, boolean newestFirst) {
        Comparator<FlowRecord> byTime = Comparator.comparingLong(FlowRecord::getTimeUnixNanos);
        return sent.stream().filter(filter).sorted(newestFirst ? byTime.reversed() : byTime).map(FlowRecord::getUuid).toList();
    }

    @Test
    void returnsTheRangeNewestFirstAcrossPagesWithoutGapsOrRepeats() throws Exception {
        assertThat(allPages(range() + "&limit=70")).isEqualTo(expected(f -> true, true));
    }

    @Test
    void returnsTheRangeOldestFirstAcrossPages() throws Exception {
        assertThat(allPages(range() + "&limit=90&order=oldest")).isEqualTo(expected(f -> true, false));
    }

    @Test
    void limitsTheRangeByTime() throws Exception {
        Instant from = t0.plusSeconds(100);
        Instant to = t0.plusSeconds(159);
        JsonNode body = get("since=" + enc(from.toString()) + "&until=" + enc(to.toString()) + "&limit=1000");
        List<String> got = new ArrayList<>();
        body.path("flows").forEach(f -> got.add(uuidOf(f)));
        assertThat(got).isEqualTo(expected(f -> f.getTimeUnixNanos() >= from.toEpochMilli() * 1_000_000L
                && f.getTimeUnixNanos() < (to.toEpochMilli() + 1) * 1_000_000L, true));
        assertThat(body.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void appliesEachFilterExactly() throws Exception {
        assertThat(allPages(range() + "&verdict=dropped")).isEqualTo(expected(f -> f.getVerdict() == Verdict.DROPPED, true));
        assertThat(allPages(range() + "&drop_reason=POLICY_DENIED")).isEqualTo(expected(f -> f.getDropReason() == DropReason.POLICY_DENIED, true));
        assertThat(allPages(range() + "&drop_reason=136")).isEqualTo(expected(f -> f.getDropReasonValue() == 136, true));
        assertThat(allPages(range() + "&namespace=payments")).isEqualTo(expected(f -> f.getSource().getNamespace().equals("payments"), true));
        assertThat(allPages(range() + "&pod=shop/web-1")).isEqualTo(expected(f -> f.getSource().getNamespace().equals("shop")
                && f.getSource().getPod().equals("web-1"), true));
        assertThat(allPages(range() + "&node=node-b")).isEqualTo(expected(f -> f.getNodeName().equals("node-b"), true));
        assertThat(allPages(range() + "&protocol=udp&port=53")).isEqualTo(expected(f -> f.getProtocol() == L4Protocol.UDP, true));
        assertThat(allPages(range() + "&reply=false")).isEqualTo(expected(f -> !f.getIsReply(), true));
        assertThat(allPages(range() + "&workload=db&verdict=forwarded&namespace=shop"))
                .isEqualTo(expected(f -> f.getVerdict() == Verdict.FORWARDED && f.getSource().getNamespace().equals("shop"), true));
        assertThat(allPages(range() + "&src=" + enc("payments/deployment/web") + "&dst=" + enc("data/statefulset/db")))
                .isEqualTo(expected(f -> f.getSource().getNamespace().equals("payments"), true));
    }

    @Test
    void answersEachFlowAsHubbleObservePrintsItWithFormatHubble() throws Exception {
        JsonNode body = get(range() + "&limit=50&format=hubble");
        assertThat(body.path("http_status").asInt()).as(body.toString()).isEqualTo(200);
        List<String> got = new ArrayList<>();
        body.path("flows").forEach(f -> {
            assertThat(f.path("node_name").asText()).isEqualTo(f.path("flow").path("node_name").asText()).isNotEmpty();
            got.add(f.path("flow").path("uuid").asText());
        });
        assertThat(got).isEqualTo(expected(f -> true, true).subList(0, 50));
    }

    @Test
    void formatHubbleGivesTheFlowHubbleSentWithTheFieldsOurCompactRecordLacks() throws Exception {
        Instant at = Instant.ofEpochSecond(HUBBLE_FLOW.getTime().getSeconds());
        JsonNode body = get("since=" + enc(at.minusSeconds(1).toString()) + "&until=" + enc(at.plusSeconds(1).toString()) + "&format=hubble");
        assertThat(body.path("flows")).hasSize(1);
        JsonNode flow = body.path("flows").get(0).path("flow");
        assertThat(flow).isEqualTo(JSON.readTree(com.google.protobuf.util.JsonFormat.printer().preservingProtoFieldNames().print(HUBBLE_FLOW)));
        assertThat(flow.path("interface").path("name").asText()).isEqualTo("lxc7");
        assertThat(flow.path("egress_denied_by").get(0).path("name").asText()).isEqualTo("deny-web");
        assertThat(flow.path("event_type").path("sub_type").asInt()).isEqualTo(1);
        assertThat(flow.path("l7").path("http").path("headers").get(0).path("key").asText()).isEqualTo("x-request-id");
    }

    @Test
    void refusesBadParametersNamingThem() throws Exception {
        assertThat(get("limit=5000").path("parameter").asText()).isEqualTo("limit");
        assertThat(get("verdict=maybe").path("parameter").asText()).isEqualTo("verdict");
        assertThat(get("since=last+tuesday").path("parameter").asText()).isEqualTo("since");
        assertThat(get("cursor=bm90LWEtY3Vyc29y").path("parameter").asText()).isEqualTo("cursor");
        assertThat(get("port=http").path("http_status").asInt()).isEqualTo(400);
    }

    @Test
    void saysSoWhenTheRangeIsOlderThanTheTopicStillHolds() throws Exception {
        // Retention deleting the oldest records is what deleteRecords does on demand.
        String topic = "flows-it-retention";
        TopicNames topics = new TopicNames(topic, "flows-it-retention.links", "x.lost", "x.dlq", "x.edges", "x.links", "x.workloads", "x.live");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Instant old = Instant.now().minus(Duration.ofHours(3));
            for (int i = 0; i < 10; i++) {
                FlowRecord f = sent.get(i).toBuilder().setTimeUnixNanos(old.plusSeconds(i * 60L).toEpochMilli() * 1_000_000L).build();
                producer.send(new ProducerRecord<>(topic, null, f.getTimeUnixNanos() / 1_000_000L, "k", f.toByteArray())).get();
            }
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(5))).all().get(30, TimeUnit.SECONDS);
            try (FlowSearch search = new FlowSearch(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()), topics.flows(), 1, 100)) {
                FlowPage page = search.search(new FlowQuery(old.minusSeconds(600), old.plusSeconds(120), 100, true, FlowFilter.ALL, null));
                assertThat(page.flows()).isEmpty();
                assertThat(page.earliestAvailable()).isEqualTo(Instant.ofEpochMilli(old.plusSeconds(300).toEpochMilli()));
            }
        }
        // Through the API the same situation is a 410 with the reason, not an empty success.
        JsonNode gone = get("since=" + enc(t0.minus(Duration.ofDays(30)).toString()) + "&until=" + enc(t0.minus(Duration.ofDays(29)).toString()));
        assertThat(gone.path("http_status").asInt()).isEqualTo(410);
        assertThat(gone.path("error").asText()).isEqualTo("beyond_retention");
        JsonNode partly = get("since=" + enc(t0.minus(Duration.ofDays(1)).toString()) + "&until=" + enc(t0.plusSeconds(10).toString()));
        assertThat(partly.path("http_status").asInt()).isEqualTo(200);
        assertThat(partly.path("warnings").get(0).asText()).contains("retention");
    }

    @Test
    void tailsOnlyMatchingFlowsLive() throws Exception {
        WsClient drops = WsClient.connect("ws://127.0.0.1:" + api.port() + "/ws/flows?verdict=dropped&namespace=shop", null);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> api.flowTail().clientCount() == 1);
            long now = System.currentTimeMillis();
            List<FlowRecord> live = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                FlowRecord f = sent.get(i).toBuilder().setTimeUnixNanos((now + i) * 1_000_000L).build();
                live.add(f);
                producer.send(new ProducerRecord<>(TOPICS.flows(), null, now + i, EdgeKey.of(f).text(), f.toByteArray()));
            }
            producer.flush();
            long wanted = live.stream().filter(f -> f.getVerdict() == Verdict.DROPPED && f.getSource().getNamespace().equals("shop")).count();
            assertThat(wanted).isPositive();
            await().atMost(Duration.ofSeconds(10)).until(() -> drops.countOfType("flow") == wanted);
            Thread.sleep(500);
            assertThat(drops.countOfType("flow")).isEqualTo(wanted);
            assertThat(drops.messages).allSatisfy(m -> {
                ResponseSchemas.assertMessage("/ws/flows", m);
                assertThat(m.path("verdict").asText()).isEqualTo("DROPPED");
                assertThat(m.path("source").path("namespace").asText()).isEqualTo("shop");
                assertThat(m.path("summary").asText()).contains("DROPPED");
            });
        } finally {
            drops.close();
        }
    }

    @Test
    void tellsASlowClientHowManyFlowsItSkippedAndKeepsItsQueueBounded() throws Exception {
        WsClient slow = WsClient.connectNotReading("ws://127.0.0.1:" + api.port() + "/ws/flows?namespace=data");
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> api.flowTail().clientCount() >= 1);
            long skippedBefore = api.flowTail().metrics().skippedCount();
            long now = System.currentTimeMillis();
            String padding = "x".repeat(4_000);
            int produced = 0;
            // Flows with long summaries fill the network buffers quickly; then the client's queue (20) overflows.
            while (api.flowTail().metrics().skippedCount() == skippedBefore && produced < 20_000) {
                for (int i = 0; i < 200; i++, produced++) {
                    FlowRecord f = sent.get(1).toBuilder().setTimeUnixNanos((now + produced) * 1_000_000L).setSummary(padding).build();
                    producer.send(new ProducerRecord<>(TOPICS.flows(), null, now + produced, EdgeKey.of(f).text(), f.toByteArray()));
                }
                producer.flush();
                Thread.sleep(100);
            }
            assertThat(api.flowTail().metrics().skippedCount()).isGreaterThan(skippedBefore);
            assertThat(api.flowTail().clientCount()).as("a skipping client is not evicted while its sends progress").isEqualTo(1);
            slow.startReading();
            await().atMost(Duration.ofSeconds(20)).until(() -> slow.countOfType("skipped") >= 1);
            long skippedReported = slow.messages.stream().filter(m -> "skipped".equals(m.path("type").asText()))
                    .mapToLong(m -> m.path("count").asLong()).sum();
            assertThat(skippedReported).isPositive();
        } finally {
            slow.close();
        }
    }
}
