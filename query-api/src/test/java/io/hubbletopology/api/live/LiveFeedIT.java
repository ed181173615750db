package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ResponseSchemas;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * The live feed on the real broker: a snapshot of the stores first, then the changes the processor
 * publishes to its output topics; filters; the client limit; eviction of a client that stops reading while
 * the others keep receiving; tokens.
 */
@Timeout(120)
class LiveFeedIT {

    private static final String TOKEN = "s3cret-token";
    private static final TopicNames TOPICS = TopicNames.prefixed("live-it.");
    @TempDir
    static Path stateDir;
    private static TopologyProcessor processor;
    private static ApiServer api;
    private static KafkaProducer<String, byte[]> producer;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        ProcessorConfig config = FastCommits.onTwoPartitions("live-it", stateDir, TOPICS);
        processor = new TopologyProcessor(config);
        processor.start();
        producer = FlowsTopicWriter.producer(kafka);
        // The output topics exist once the processor runs; the test creates them for a processor that does not publish yet.
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", kafka))) {
            new io.hubbletopology.topics.TopicProvisioner(admin, 2, (short) 1).ensure(List.of(
                    new org.apache.kafka.clients.admin.NewTopic(TOPICS.live(), 2, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic(TOPICS.linkChanges(), 2, (short) 1)), 30_000);
        }
        api = new ApiServer(new ApiSettings("127.0.0.1", 0, "both").withTokens(List.of(TOKEN))
                .withLiveLimits(3, 50, Duration.ofSeconds(2)), processor.queryService());
        api.start();
        base = "127.0.0.1:" + api.port();
        long now = System.currentTimeMillis();
        sendFlow("shop", "frontend-0", "shop", "cart-0", Verdict.FORWARDED, now);
        sendFlow("shop", "frontend-0", "data", "postgres-0", Verdict.DROPPED, now);
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.running() && api.liveFeedFollowing()
                && processor.queries().topology(java.time.Instant.ofEpochMilli(now - 120_000), java.time.Instant.now()).size() == 2);
    }

    @AfterAll
    static void stop() {
        api.close();
        processor.close();
        producer.close();
    }

    private static void sendFlow(String srcNs, String srcPod, String dstNs, String dstPod, Verdict verdict, long timeMs) throws Exception {
        FlowRecord flow = FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setVerdict(verdict)
                .setSource(EndpointRef.newBuilder().setNamespace(srcNs).setPod(srcPod))
                .setDestination(EndpointRef.newBuilder().setNamespace(dstNs).setPod(dstPod))
                .setProtocol(L4Protocol.TCP).setDestinationPort(8080).build();
        producer.send(new ProducerRecord<>(TOPICS.flows(), null, timeMs, EdgeKey.of(flow).text(), flow.toByteArray())).get(10, TimeUnit.SECONDS);
    }

    private static void publishEdgeUpdate(String src, String dst, String srcNs, String dstNs, String verdict, long flows) throws Exception {
        String window = java.time.Instant.ofEpochMilli(System.currentTimeMillis() / 60_000 * 60_000).toString();
        String json = "{\"schema\":\"hubble-topology.edge/v1\",\"window_start\":\"" + window + "\",\"window_end\":\""
                + java.time.Instant.parse(window).plusSeconds(60) + "\",\"src\":\"" + src + "\",\"dst\":\"" + dst
                + "\",\"src_namespace\":\"" + srcNs + "\",\"dst_namespace\":\"" + dstNs + "\",\"protocol\":\"TCP\",\"port\":8080,"
                + "\"flows\":" + flows + ",\"verdicts\":{\"" + verdict + "\":" + flows + "}}";
        // As the processor's live publisher sends a provisional state: to the live topic, with its schema header.
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPICS.live(), src + "->" + dst, json.getBytes());
        record.headers().add(io.hubbletopology.processor.query.OutputFeed.SCHEMA_HEADER,
                io.hubbletopology.processor.output.EdgeUpdate.SCHEMA.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        producer.send(record).get(10, TimeUnit.SECONDS);
    }

    private static JsonNode get(String pathAndQuery) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + base + pathAndQuery))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }

    private static String ws(String query) {
        return "ws://" + base + "/ws/topology" + query;
    }

    @Test
    void sendsTheSnapshotThenEveryChangeWithSrcDstAndStateAtTheTop() throws Exception {
        WsClient client = WsClient.connect(ws(""), TOKEN);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.countOfType("edge") >= 2 && client.countOfType("snapshot") == 1);
            assertThat(client.messages).filteredOn(m -> "edge".equals(m.path("type").asText()))
                    .extracting(m -> m.path("dst").asText() + "=" + m.path("state").asText())
                    .contains("shop/statefulset/cart=forwarded", "data/statefulset/postgres=dropped");
            // After the snapshot, how complete it was, in the words of the REST answers.
            assertThat(client.messages).filteredOn(m -> "snapshot".equals(m.path("type").asText())).singleElement().satisfies(m -> {
                assertThat(m.path("partial").asBoolean(true)).isFalse();
                assertThat(m.path("as_of").asText()).isNotEmpty();
                assertThat(m.path("edges").asInt()).isGreaterThanOrEqualTo(2);
            });
            // Its edges do not overlap: settled windows summed (no window_start), then each open window; per edge
            // they add up to what REST answers for the same range.
            JsonNode status = client.messages.stream().filter(m -> "snapshot".equals(m.path("type").asText())).findFirst().orElseThrow();
            Instant from = Instant.parse(status.path("from").asText());
            Instant openFrom = Instant.parse(status.path("open_from").asText());
            Instant asOf = Instant.parse(status.path("as_of").asText());
            assertThat(Duration.between(from, asOf)).isEqualTo(Duration.ofMinutes(5));
            Map<String, Long> summed = new HashMap<>();
            for (JsonNode m : client.messages) {
                if (!"edge".equals(m.path("type").asText())) {
                    if ("snapshot".equals(m.path("type").asText())) {
                        break;
                    }
                    continue;
                }
                JsonNode edge = m.path("edge");
                if (edge.has("window_start")) {
                    assertThat(Instant.parse(edge.path("window_start").asText())).isAfterOrEqualTo(openFrom);
                }
                summed.merge(edge.path("key").asText(), edge.path("flows").asLong(), Long::sum);
            }
            JsonNode rest = get("/api/v1/topology?from=" + from + "&to=" + asOf);
            Map<String, Long> answered = new HashMap<>();
            rest.path("links").forEach(l -> answered.put(l.path("key").asText(), l.path("flows").asLong()));
            assertThat(summed).hasSizeGreaterThanOrEqualTo(2).isEqualTo(answered);

            publishEdgeUpdate("shop/deployment/checkout", "payments/deployment/api", "shop", "payments", "DROPPED", 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.messages.stream()
                    .anyMatch(m -> m.path("dst").asText().equals("payments/deployment/api")));
            var update = client.messages.stream().filter(m -> m.path("dst").asText().equals("payments/deployment/api")).findFirst().orElseThrow();
            assertThat(update.path("src").asText()).isEqualTo("shop/deployment/checkout");
            assertThat(update.path("state").asText()).isEqualTo("dropped");
            assertThat(update.path("edge").path("flows").asLong()).isEqualTo(3);
            client.messages.forEach(m -> ResponseSchemas.assertMessage("/ws/topology", m));
        } finally {
            client.close();
        }
    }

    @Test
    void aBrowserThatAsksForCompressionGetsPermessageDeflate() throws Exception {
        // What every browser sends; Java's WebSocket client cannot, so this handshake is written by hand.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws/topology?token=" + TOKEN + " HTTP/1.1\r\nHost: " + base + "\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader response = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            List<String> head = new java.util.ArrayList<>();
            for (String line = response.readLine(); line != null && !line.isEmpty(); line = response.readLine()) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(head.get(0)).contains("101");
            assertThat(head).contains("sec-websocket-extensions: permessage-deflate");
        }
    }

    @Test
    void withUpdatesBatchedEveryChangeArrivesAloneOrInABatchOfChangesInTheDocumentedShape() throws Exception {
        assertThat(WsClient.handshakeRefusal(ws("?updates=sometimes"), TOKEN, null)).isEqualTo(400);
        WsClient client = WsClient.connect(ws("?updates=batched&namespace=batched"), TOKEN);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.countOfType("snapshot") == 1);
            for (int e = 0; e < 40; e++) {
                publishEdgeUpdate("batched/deployment/a", "batched/deployment/b" + e, "batched", "batched", "FORWARDED", e + 1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> edgeMessages(client).size() == 40);
            assertThat(edgeMessages(client)).extracting(m -> m.path("dst").asText() + "=" + m.path("edge").path("flows").asLong())
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 40)
                            .mapToObj(e -> "batched/deployment/b" + e + "=" + (e + 1)).toList());
            assertThat(client.messages).filteredOn(m -> "batch".equals(m.path("type").asText()))
                    .allSatisfy(m -> assertThat(m.path("state").asText()).isEqualTo("changes"));
            client.messages.forEach(m -> ResponseSchemas.assertMessage("/ws/topology", m));
        } finally {
            client.close();
        }
    }

    @Test
    void withDetailSummaryEachEdgeCarriesTheFullRecordsFiguresAndNoMore() throws Exception {
        assertThat(WsClient.handshakeRefusal(ws("?detail=most"), TOKEN, null)).isEqualTo(400);
        // As the page asks: both shapes batched, and the summary; beside it a client of the full records.
        WsClient summary = WsClient.connect(ws("?detail=summary&snapshot=batched&updates=batched"), TOKEN);
        WsClient full = WsClient.connect(ws("?snapshot=batched"), TOKEN);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> summary.countOfType("snapshot") == 1 && full.countOfType("snapshot") == 1);
            publishEdgeUpdate("summary/deployment/a", "summary/deployment/c", "summary", "summary", "DROPPED", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> edgeMessages(summary).stream().anyMatch(m -> m.path("dst").asText().endsWith("/c"))
                    && edgeMessages(full).stream().anyMatch(m -> m.path("dst").asText().endsWith("/c")));
            // The latest message per edge and window of each client (either may have got an edge's window twice).
            Map<String, JsonNode> summaries = latestPerWindow(edgeMessages(summary)), records = latestPerWindow(edgeMessages(full));
            records.keySet().retainAll(summaries.keySet());
            // The stored edges of the snapshot, and the update.
            assertThat(records.keySet()).hasSizeGreaterThanOrEqualTo(3).anyMatch(k -> k.contains("summary/deployment/c"));
            java.util.Set<String> fields = java.util.Set.of("window_start", "window_end", "src", "dst", "state", "protocol", "port",
                    "flows", "forwarded", "dropped", "drop_reasons", "nodes", "last_seen");
            records.forEach((key, record) -> {
                JsonNode summarised = summaries.get(key);
                assertThat(summarised.path("src")).isEqualTo(record.path("src"));
                assertThat(summarised.path("state")).isEqualTo(record.path("state"));
                ObjectNode expected = OutputJson.MAPPER.createObjectNode();
                record.path("edge").fields().forEachRemaining(f -> {
                    if (fields.contains(f.getKey()) && !f.getValue().isNull()) {
                        expected.set(f.getKey(), f.getValue());
                    }
                });
                assertThat(summarised.path("edge")).as(key).isEqualTo(expected);
                assertThat(summarised.toString().length()).isLessThan(record.toString().length() * 2 / 3);
            });
            summary.messages.forEach(m -> ResponseSchemas.assertMessage("/ws/topology", m));
            full.messages.forEach(m -> ResponseSchemas.assertMessage("/ws/topology", m));
        } finally {
            summary.close();
            full.close();
        }
    }

    /** Per edge (source and destination) and window, the last message a client got of it. */
    private static Map<String, JsonNode> latestPerWindow(List<JsonNode> edges) {
        Map<String, JsonNode> out = new HashMap<>();
        edges.forEach(m -> out.put(m.path("src").asText() + ">" + m.path("dst").asText() + "@" + m.path("edge").path("window_start").asText(), m));
        return out;
    }

    /** The edge messages a client got, alone or inside batches, in the order it got them. */
    private static List<com.fasterxml.jackson.databind.JsonNode> edgeMessages(WsClient client) {
        List<com.fasterxml.jackson.databind.JsonNode> edges = new java.util.ArrayList<>();
        for (var m : client.messages) {
            if ("batch".equals(m.path("type").asText())) {
                m.path("messages").forEach(edges::add);
            } else if ("edge".equals(m.path("type").asText())) {
                edges.add(m);
            }
        }
        return edges;
    }

    @Test
    void sendsOnlyWhatTheFilterSelects() throws Exception {
        WsClient shop = WsClient.connect(ws("?namespace=billing&verdict=forwarded"), TOKEN);
        try {
            publishEdgeUpdate("billing/deployment/a", "billing/deployment/b", "billing", "billing", "DROPPED", 1);
            publishEdgeUpdate("other/deployment/a", "other/deployment/b", "other", "other", "FORWARDED", 1);
            publishEdgeUpdate("billing/deployment/a", "billing/deployment/c", "billing", "billing", "FORWARDED", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> shop.messages.stream()
                    .anyMatch(m -> m.path("dst").asText().equals("billing/deployment/c")));
            assertThat(shop.messages).filteredOn(m -> "edge".equals(m.path("type").asText()))
                    .extracting(m -> m.path("dst").asText()).containsExactly("billing/deployment/c");
        } finally {
            shop.close();
        }
    }

    @Test
    void refusesClientsBeyondTheLimitAndBadParametersWithReasons() throws Exception {
        // A bad parameter is refused at the handshake (400 naming it, see ApiServerIT), no socket is opened.
        assertThat(WsClient.handshakeRefusal(ws("?verdict=sometimes"), TOKEN, null)).isEqualTo(400);

        List<WsClient> admitted = List.of(WsClient.connect(ws(""), TOKEN), WsClient.connect(ws(""), TOKEN), WsClient.connect(ws(""), TOKEN));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> api.feed().clientCount() == 3);
            WsClient fourth = WsClient.connect(ws(""), TOKEN);
            assertThat(fourth.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1013);
            assertThat(fourth.closeReason).contains("too many clients");
        } finally {
            admitted.forEach(WsClient::close);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> api.feed().clientCount() == 0);
    }

    @Test
    void enforcesTokensOnTheFeedAndTheRestApi() throws Exception {
        // Refused at the handshake (401, no upgrade), no longer closed with 1008 after it.
        assertThat(WsClient.handshakeRefusal(ws(""), null, null)).isEqualTo(401);
        WsClient byParameter = WsClient.connect(ws("?token=" + TOKEN), null);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> byParameter.countOfType("edge") >= 2);
        } finally {
            byParameter.close();
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/topology")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.body()).contains("\"error\":\"unauthorized\"").doesNotContain("Exception");
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/topology"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://" + base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("probes need no token").isEqualTo(200);
    }

    @Test
    void evictsAClientThatStopsReadingWhileTheOthersKeepReceiving() throws Exception {
        WsClient reader = WsClient.connect(ws("?namespace=flood"), TOKEN);
        WsClient stuck = WsClient.connectNotReading(ws("?namespace=flood&token=" + TOKEN));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> api.feed().clientCount() >= 2);
            String padding = "x".repeat(8_000);
            int sent = 0;
            long evictedBefore = api.feed().metrics().evictedCount();
            // Publish in steps the reading client keeps up with, until the one that does not read is evicted.
            while (api.feed().metrics().evictedCount() == evictedBefore && sent < 20_000) {
                for (int i = 0; i < 50; i++, sent++) {
                    api.feed().publish(new FeedUpdate("flood-" + sent, FeedUpdate.Kind.EDGE,
                            "{\"type\":\"edge\",\"src\":\"flood/a\",\"dst\":\"flood/b" + sent + "\",\"state\":\"forwarded\",\"pad\":\""
                                    + padding + "\"}", java.util.Set.of("flood"), java.util.Set.of("forwarded"), "TCP", 1));
                }
                int expected = sent;
                await().atMost(Duration.ofSeconds(10)).until(() -> reader.countOfType("edge") >= expected);
            }
            assertThat(api.feed().clientCount()).as("only the reading client is left").isEqualTo(1);
            assertThat(reader.countOfType("edge")).isEqualTo(sent);
            assertThat(reader.closeCode).isNotDone();
            // Once it reads again, the evicted client finds the close frame behind what piled up.
            stuck.startReading();
            assertThat(stuck.closeCode.get(20, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(stuck.closeReason).contains("too slow");
        } finally {
            reader.close();
            stuck.close();
        }
    }

    @Test
    void refusesBrowserOriginsOutsideTheAllowList() throws Exception {
        try (ApiServer guarded = new ApiServer(new ApiSettings("127.0.0.1", 0, "both")
                .withAllowedOrigins(List.of("https://topology.example")), processor.queryService())) {
            guarded.start();
            String url = "ws://127.0.0.1:" + guarded.port() + "/ws/topology";
            // Refused at the handshake (403, no upgrade), no longer closed with 1008 after it.
            assertThat(WsClient.handshakeRefusal(url, null, "https://evil.example")).isEqualTo(403);
            WsClient allowed = WsClient.connectWithOrigin(url, "https://topology.example");
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> guarded.feed().clientCount() == 1);
                assertThat(allowed.closeCode).isNotDone();
            } finally {
                allowed.close();
            }
        }
    }

    @Test
    void disconnectsAClientThatFloodsTheServer() throws Exception {
        WsClient noisy = WsClient.connect(ws(""), TOKEN);
        for (int i = 0; i < 50 && !noisy.closeCode.isDone(); i++) {
            try {
                noisy.send("hello " + i);
            } catch (CompletionException e) {
                // The server has already cut the connection; its close frame says why.
                break;
            }
        }
        assertThat(noisy.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(noisy.closeReason).contains("too many messages");
    }
}
