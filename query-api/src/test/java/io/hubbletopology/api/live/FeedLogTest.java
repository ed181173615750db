package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The feed's one log of changes, read by clients at their own pace: coalescing, order, filters, bounds. */
class FeedLogTest {

    private final FeedMetrics metrics = new FeedMetrics(new SimpleMeterRegistry(), "test");

    private static FeedUpdate edge(String key, int version) {
        return edge(key, version, "shop");
    }

    private static FeedUpdate edge(String key, int version, String namespace) {
        return new FeedUpdate(key, FeedUpdate.Kind.EDGE, key + "#" + version, Set.of(namespace), Set.of("forwarded"), "TCP", version);
    }

    private static List<String> drain(FeedLog.Reader reader) {
        List<String> out = new ArrayList<>();
        for (FeedUpdate u = reader.next(); u != null; u = reader.next()) {
            out.add(u.payload());
        }
        return out;
    }

    @Test
    void aClientThatWasBusyGetsOnlyTheNewestStateOfEachKeyOnce() {
        FeedLog log = new FeedLog(FeedLog.Mode.COALESCE, 1_000, metrics);
        FeedLog.Reader reader = log.reader(u -> true);
        for (int v = 1; v <= 100; v++) {
            log.publish(edge("a", v));
            log.publish(edge("b", v));
        }
        log.publish(edge("c", 1));

        assertThat(drain(reader)).containsExactly("a#100", "b#100", "c#1");
        assertThat(metrics.coalescedCount()).as("states of a and b it never got").isEqualTo(198);
        assertThat(reader.next()).isNull();
    }

    @Test
    void aClientThatKeepsUpGetsEveryState() {
        FeedLog log = new FeedLog(FeedLog.Mode.COALESCE, 1_000, metrics);
        FeedLog.Reader reader = log.reader(u -> true);
        List<String> got = new ArrayList<>();
        for (int v = 1; v <= 5; v++) {
            log.publish(edge("a", v));
            got.addAll(drain(reader));
        }
        assertThat(got).containsExactly("a#1", "a#2", "a#3", "a#4", "a#5");
        assertThat(metrics.coalescedCount()).isZero();
    }

    @Test
    void aKeyThatKeepsChangingIsNotPushedBehindTheOthers() {
        FeedLog log = new FeedLog(FeedLog.Mode.COALESCE, 1_000, metrics);
        FeedLog.Reader reader = log.reader(u -> true);
        // The hot edge changes first, then 50 others once each; the client sends one message per change published.
        log.publish(edge("hot", 0));
        for (int i = 0; i < 50; i++) {
            log.publish(edge("cold-" + i, 1));
        }
        List<String> sent = new ArrayList<>();
        for (int round = 1; round <= 60; round++) {
            log.publish(edge("hot", round));
            FeedUpdate next = reader.next();
            if (next != null) {
                sent.add(next.payload());
            }
        }
        // Oldest change first: the hot edge changed before the others, so it goes first, with its state as of then,
        // and again within the next pass, however often it changed since.
        assertThat(sent.get(0)).isEqualTo("hot#1");
        assertThat(sent.subList(1, 51)).allMatch(p -> p.startsWith("cold-"));
        assertThat(sent.get(51)).startsWith("hot#");
    }

    @Test
    void everyChangeWaitsAtMostForTwoPassesOfTheOtherKeys() {
        FeedLog log = new FeedLog(FeedLog.Mode.COALESCE, 1_000, metrics);
        FeedLog.Reader reader = log.reader(u -> true);
        int keys = 20;
        // Every key changes between any two sends, the newest always last: a reader ordered by latest change would
        // never reach the key that just changed; this one sends each within 2 x keys messages of its change.
        int[] pendingSince = new int[keys];
        java.util.Arrays.fill(pendingSince, -1);
        int worst = 0;
        for (int send = 0; send < 2_000; send++) {
            int key = send % keys;
            log.publish(edge("k" + key, send));
            if (pendingSince[key] < 0) {
                pendingSince[key] = send;
            }
            FeedUpdate next = reader.next();
            int sentKey = Integer.parseInt(next.key().substring(1));
            worst = Math.max(worst, send - pendingSince[sentKey]);
            pendingSince[sentKey] = -1;
        }
        assertThat(worst).isLessThanOrEqualTo(2 * keys);
    }

    @Test
    void filtersApplyToTheStateThatWouldGoOut() {
        FeedLog log = new FeedLog(FeedLog.Mode.COALESCE, 1_000, metrics);
        FeedLog.Reader shop = log.reader(new FeedFilter(Set.of("shop"), Set.of(), Set.of(), 0));
        FeedLog.Reader busy = log.reader(new FeedFilter(Set.of(), Set.of(), Set.of(), 3));
        log.publish(edge("a", 1, "shop"));
        log.publish(edge("b", 1, "data"));
        log.publish(edge("c", 5, "data"));
        log.publish(edge("a", 2, "shop"));
        assertThat(drain(shop)).containsExactly("a#2");
        assertThat(drain(busy)).containsExactly("c#5");
    }

    @Test
    void entriesEveryReaderPassedAreDroppedWithTheirKeys() {
        FeedLog log = new FeedLog(FeedLog.Mode.COALESCE, 1_000, metrics);
        FeedLog.Reader fast = log.reader(u -> true);
        FeedLog.Reader slow = log.reader(u -> true);
        for (int i = 0; i < 10; i++) {
            log.publish(edge("k" + i, 1));
        }
        drain(fast);
        log.trim();
        assertThat(log.size()).as("kept for the slow reader").isEqualTo(10);
        assertThat(log.slowest()).isSameAs(slow);
        assertThat(drain(slow)).hasSize(10);
        log.trim();
        assertThat(log.size()).isZero();
        assertThat(log.keys()).isZero();
        slow.close();
        fast.close();
        log.publish(edge("x", 1));
        log.trim();
        assertThat(log.size()).as("no reader left").isZero();
    }

    @Test
    void aLongBacklogIsCompactedToOneStatePerKeyAndStillEndsWithTheNewest() {
        FeedLog log = new FeedLog(FeedLog.Mode.COALESCE, 1_000, metrics);
        FeedLog.Reader reader = log.reader(u -> true);
        for (int v = 1; v <= 10_000; v++) {
            log.publish(edge("k" + (v % 10), v));
        }
        assertThat(log.size()).as("compacted at 8,192 entries").isLessThan(8_192);
        List<String> got = drain(reader);
        assertThat(got).hasSize(10).contains("k0#10000", "k1#9991", "k9#9999");
    }

    @Test
    void aSkippingReaderFarBehindSkipsTheOldestAndIsToldHowManyItWanted() {
        FeedLog log = new FeedLog(FeedLog.Mode.SKIP, 100, metrics);
        FeedLog.Reader shop = log.reader(new FeedFilter(Set.of("shop"), Set.of(), Set.of(), 0));
        for (int i = 0; i < 1_000; i++) {
            // Flows are their own keys: nothing coalesces; every other one is in shop.
            log.publish(edge("flow-" + i, 1, i % 2 == 0 ? "shop" : "data"));
        }
        // Held: what the reader has not read, about twice its bound of wanted flows (every other flow is one).
        assertThat(log.size()).isLessThanOrEqualTo(2 * 2 * 100 + 2);
        List<String> got = drain(shop);
        assertThat(got.get(0)).startsWith("{\"type\":\"skipped\",\"count\":");
        long skipped = Long.parseLong(got.get(0).replaceAll("\\D", ""));
        assertThat(skipped + got.size() - 1).as("skipped and sent: every shop flow").isEqualTo(500);
        assertThat(got.get(got.size() - 1)).isEqualTo("flow-998#1");
        assertThat(metrics.skippedCount()).isEqualTo(skipped);
    }

    @Test
    void aSkippingReaderIsBoundedByWhatItWantsNotByOthersFlows() {
        FeedLog log = new FeedLog(FeedLog.Mode.SKIP, 20, metrics);
        FeedLog.Reader shop = log.reader(new FeedFilter(Set.of("shop"), Set.of(), Set.of(), 0));
        for (int i = 0; i < 400; i++) {
            // One flow in ten is in shop: 40 of them, two of which share a key (a flow tail never coalesces).
            String key = i == 390 ? "flow-380" : "flow-" + i;
            log.publish(edge(key, 1, i % 10 == 0 ? "shop" : "data"));
            if (i % 100 == 99) {
                // The client keeps up with what it wants: it drains now and then, never 20 behind.
                assertThat(drain(shop)).as("after flow " + i).hasSize(10).noneMatch(m -> m.contains("skipped"));
            }
        }
        log.publish(edge("flow-last", 1, "data"));
        assertThat(log.size()).as("others' flows are not held for it").isLessThanOrEqualTo(1);
        assertThat(metrics.skippedCount()).isZero();
    }
}
