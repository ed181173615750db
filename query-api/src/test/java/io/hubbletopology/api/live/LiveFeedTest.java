package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.processor.query.LiveTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The live feed with fake sessions: ordering, coalescing for slow clients, filters, stall eviction, skipping. */
class LiveFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private LiveFeed feed;

    @AfterEach
    void close() {
        if (feed != null) {
            feed.close();
        }
    }

    private static FeedUpdate edge(String key, long flows, String namespace) {
        return new FeedUpdate(key, FeedUpdate.Kind.EDGE, "{\"type\":\"edge\",\"key\":\"" + key + "\",\"flows\":" + flows + "}",
                Set.of(namespace), Set.of("forwarded"), "TCP", flows);
    }

    /** A complete snapshot's closing status. */
    private static FeedUpdate status() {
        Instant now = Instant.parse("2026-12-04T00:00:00Z");
        return FeedMessages.snapshotStatus(false, List.of(), now, new LiveTopology(now.minusSeconds(300), now.minusSeconds(60), List.of(), List.of()), 0);
    }

    private FeedClient connect(String id, FakeSocket session, FeedFilter filter, List<FeedUpdate> snapshot) {
        FeedClient client = feed.admit(id, session, filter, id);
        client.start(snapshot, SnapshotShape.MESSAGES);
        return client;
    }

    /** Two unfiltered clients: stuck, whose sends never complete, and reader, who takes everything. */
    private record StuckAndReader(FakeSocket stuck, FakeSocket reader) {
    }

    /** A new feed with this stall timeout, and its stuck and its reading client. */
    private StuckAndReader feedWithStuckAndReader(Duration stallTimeout) {
        feed = new LiveFeed(10, 100, stallTimeout, new SimpleMeterRegistry());
        StuckAndReader clients = new StuckAndReader(FakeSocket.holding(), new FakeSocket());
        connect("stuck", clients.stuck(), FeedFilter.ALL, List.of());
        connect("reader", clients.reader(), FeedFilter.ALL, List.of());
        return clients;
    }

    @Test
    void theSnapshotGoesBeforeEveryChangePublishedWhileItWasRead() {
        feed = new LiveFeed(10, 100, Duration.ofSeconds(10), new SimpleMeterRegistry());
        FakeSocket session = new FakeSocket();
        FeedClient client = feed.admit("a", session, FeedFilter.ALL, "a");
        feed.publish(edge("edge:x@1", 2, "shop"));   // after admission, before the snapshot is handed over
        client.start(List.of(edge("edge:x", 1, "shop"), status()), SnapshotShape.MESSAGES);

        await().atMost(WAIT).until(() -> session.sent().size() == 3);
        assertThat(session.sent()).extracting(m -> m.contains("snapshot") ? "status" : m.contains("@1") ? "change" : "snapshot")
                .containsExactly("snapshot", "status", "change");
    }

    @Test
    void aBatchedSnapshotSendsTheSameFilteredMessagesInOrderInFewBatchesThenTheStatusThenTheChanges() throws Exception {
        feed = new LiveFeed(10, 100, Duration.ofSeconds(10), new SimpleMeterRegistry());
        FakeSocket session = new FakeSocket();
        FeedClient client = feed.admit("a", session, FeedFilter.parse("shop", null, null, null), "a");
        feed.publish(edge("edge:change@1", 2, "shop"));   // after admission, before the snapshot is handed over
        List<FeedUpdate> snapshot = new ArrayList<>();
        // ~250 bytes each: a batch of them is larger than a write takes of the snapshot, so it goes alone.
        for (int e = 0; e < 1_200; e++) {
            snapshot.add(edge("edge:" + e + "-" + "x".repeat(200), e, e % 2 == 0 ? "shop" : "data"));
        }
        snapshot.add(status());
        client.start(snapshot, SnapshotShape.BATCHED);

        await().atMost(WAIT).until(() -> session.sent().size() == 4);
        List<String> sent = session.sent();
        // 600 shop edges: a batch of 500 and one of 100, each message as it would have been sent alone.
        ObjectMapper json = new ObjectMapper();
        List<String> batched = new ArrayList<>();
        for (String message : sent.subList(0, 2)) {
            JsonNode batch = json.readTree(message);
            assertThat(batch.path("type").asText()).isEqualTo("batch");
            batch.path("messages").forEach(m -> batched.add(m.toString()));
        }
        List<String> alone = snapshot.stream().filter(u -> u.namespaces().contains("shop")).map(FeedUpdate::payload).toList();
        assertThat(batched).containsExactlyElementsOf(alone);
        assertThat(json.readTree(sent.get(0)).path("messages").size()).isEqualTo(500);
        assertThat(sent.get(2)).contains("\"type\":\"snapshot\"");
        assertThat(sent.get(3)).contains("edge:change@1");
    }

    @Test
    void aClientThatAsksForBatchedUpdatesGetsTheChangesSentTogetherInOneMessageEachAsItWouldHaveComeAlone() throws Exception {
        feed = new LiveFeed(10, 100, Duration.ofSeconds(30), new SimpleMeterRegistry());
        FakeSocket slow = FakeSocket.holding();
        FeedClient client = feed.admit("slow", slow, FeedFilter.parse("shop", null, null, null), "slow");
        client.start(List.of(status()), SnapshotShape.MESSAGES, UpdateShape.BATCHED);
        await().atMost(WAIT).until(() -> slow.sent().size() == 1);   // the snapshot status, in flight
        feed.publish(edge("edge:first", 1, "shop"));
        assertThat(slow.awaitAndCompleteOne(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> slow.sent().size() == 2);   // the one change there was, in flight

        // While it is in flight: 20 shop edges changing twice, and 10 edges the client's filter leaves out.
        List<String> newest = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            for (int e = 0; e < 20; e++) {
                FeedUpdate change = edge("edge:" + e, round, "shop");
                feed.publish(change);
                feed.publish(edge("edge:data-" + e, round, "data"));
                if (round == 2) {
                    newest.add(change.payload());
                }
            }
        }
        while (slow.awaitAndCompleteOne(Duration.ofSeconds(2))) {
            // the client takes one message at a time
        }

        List<String> sent = slow.sent();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1)).as("a change taken alone goes as it is").isEqualTo(edge("edge:first", 1, "shop").payload());
        JsonNode batch = new ObjectMapper().readTree(sent.get(2));
        assertThat(batch.path("type").asText()).isEqualTo("batch");
        assertThat(batch.path("state").asText()).isEqualTo("changes");
        List<String> inBatch = new ArrayList<>();
        batch.path("messages").forEach(m -> inBatch.add(m.toString()));
        assertThat(inBatch).containsExactlyElementsOf(newest);
        assertThat(feed.metrics().sentCount()).as("messages, not frames").isEqualTo(2 + 20);
    }

    @Test
    void aSlowClientGetsTheNewestStateOfEveryEdgeOnceAndIsNotEvictedForHowManyChanged() throws Exception {
        feed = new LiveFeed(10, 10, Duration.ofSeconds(30), new SimpleMeterRegistry());
        FakeSocket slow = FakeSocket.holding();
        connect("slow", slow, FeedFilter.ALL, List.of());
        feed.publish(edge("edge:first", 1, "shop"));
        await().atMost(WAIT).until(() -> slow.sent().size() == 1);   // in flight, not taken by the client yet

        // 500 edges, far more than the old per-client queue of 10, each changing 4 times.
        for (int round = 1; round <= 4; round++) {
            for (int e = 0; e < 500; e++) {
                feed.publish(edge("edge:" + e, round, "shop"));
            }
        }
        while (slow.awaitAndCompleteOne(Duration.ofSeconds(2))) {
            // the client takes one message at a time
        }

        List<String> after = slow.sent().subList(1, slow.sent().size());
        assertThat(after).hasSize(500).allMatch(m -> m.endsWith("\"flows\":4}"));
        assertThat(after.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())).values()).allMatch(n -> n == 1);
        assertThat(feed.metrics().coalescedCount()).isEqualTo(1_500);
        assertThat(feed.metrics().evictedCount()).isZero();
        assertThat(slow.closeCode()).isNull();
    }

    @Test
    void eachClientGetsWhatItsFilterSelects() {
        feed = new LiveFeed(10, 100, Duration.ofSeconds(10), new SimpleMeterRegistry());
        FakeSocket shop = new FakeSocket();
        FakeSocket busy = new FakeSocket();
        connect("shop", shop, FeedFilter.parse("shop", null, null, null), List.of(edge("edge:s", 1, "data")));
        connect("busy", busy, FeedFilter.parse(null, null, null, "10"), List.of());
        feed.publish(edge("edge:a", 1, "shop"));
        feed.publish(edge("edge:b", 50, "data"));
        feed.publish(edge("edge:c", 20, "shop"));

        await().atMost(WAIT).until(() -> shop.sent().size() == 2 && busy.sent().size() == 2);
        assertThat(shop.sent()).allMatch(m -> m.contains("edge:a") || m.contains("edge:c"));
        assertThat(busy.sent()).allMatch(m -> m.contains("edge:b") || m.contains("edge:c"));
    }

    @Test
    void aClientWhoseSendStallsIsEvictedAfterTheStallTimeoutWhileTheOthersGoOn() {
        StuckAndReader clients = feedWithStuckAndReader(Duration.ofMillis(400));
        feed.publish(edge("edge:a", 1, "shop"));

        await().atMost(WAIT).until(() -> clients.stuck().closeCode() != null);
        assertThat(clients.stuck().closeCode()).isEqualTo(FeedClient.TOO_SLOW);
        assertThat(clients.stuck().closeReason()).contains("too slow").contains("waited more than");
        assertThat(feed.clientCount()).isEqualTo(1);
        feed.publish(edge("edge:b", 1, "shop"));
        await().atMost(WAIT).until(() -> clients.reader().sent().size() == 2);
        assertThat(clients.stuck().sent()).hasSize(1);
    }

    @Test
    void atTheMemoryBoundTheClientFurthestBehindIsEvictedAndTheLogEmpties() {
        StuckAndReader clients = feedWithStuckAndReader(Duration.ofSeconds(30));
        // The stuck client takes the first one (in flight): the bound counts the keys after it.
        feed.publish(edge("edge:0", 1, "shop"));
        await().atMost(WAIT).until(() -> clients.stuck().sent().size() == 1);
        for (int e = 1; e < LiveFeed.MAX_KEYS + 2; e++) {
            feed.publish(edge("edge:" + e, 1, "shop"));
        }

        await().atMost(WAIT).until(() -> clients.stuck().closeCode() != null);
        assertThat(clients.stuck().closeReason()).contains("too slow").contains(LiveFeed.MAX_KEYS + " edges and interfaces");
        await().atMost(WAIT).until(() -> clients.reader().sent().size() == LiveFeed.MAX_KEYS + 2);
        assertThat(clients.reader().closeCode()).isNull();
    }

    @Test
    void aFlowTailClientFarBehindSkipsFlowsAndIsToldHowMany() throws Exception {
        feed = LiveFeed.skipping("flows", 10, 20, Duration.ofSeconds(30), new SimpleMeterRegistry());
        FakeSocket slow = FakeSocket.holding();
        connect("slow", slow, FeedFilter.ALL, List.of());
        feed.publish(new FeedUpdate("0@0", FeedUpdate.Kind.FLOW, "{\"type\":\"flow\",\"n\":0}", Set.of(), Set.of(), "", 0));
        await().atMost(WAIT).until(() -> slow.sent().size() == 1);
        for (int n = 1; n <= 200; n++) {
            feed.publish(new FeedUpdate("0@" + n, FeedUpdate.Kind.FLOW, "{\"type\":\"flow\",\"n\":" + n + "}", Set.of(), Set.of(), "", 0));
        }
        while (slow.awaitAndCompleteOne(Duration.ofSeconds(2))) {
            // the client takes one message at a time
        }

        List<String> sent = slow.sent();
        Map<Boolean, List<String>> bySkip = sent.stream().collect(Collectors.partitioningBy(m -> m.contains("skipped")));
        assertThat(bySkip.get(true)).hasSize(1);
        long skipped = Long.parseLong(bySkip.get(true).get(0).replaceAll("\\D", ""));
        assertThat(skipped + bySkip.get(false).size()).as("every flow sent or counted as skipped").isEqualTo(201);
        assertThat(sent.get(sent.size() - 1)).isEqualTo("{\"type\":\"flow\",\"n\":200}");
        assertThat(feed.metrics().skippedCount()).isEqualTo(skipped);
        assertThat(feed.metrics().evictedCount()).isZero();
    }
}
