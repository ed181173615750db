package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.processor.ProcessingCounters;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.serde.ProtoSerde;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.LinkStateRecord;

/** The live views in the real topology (TopologyTestDriver, its wall clock moved by hand), their sink a list. */
class LiveEdgesTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_040_000L - 1_700_000_040_000L % MINUTE;
    private static final Duration INTERVAL = Duration.ofMillis(100);

    /** What the views handed over, in order. */
    private static final class Recorded implements LiveSink {
        final List<EdgeUpdate> edges = new ArrayList<>();
        final List<LinkState> links = new ArrayList<>();
        boolean refusing;

        @Override
        public boolean edge(String edgeKey, EdgeUpdate update) {
            assertThat(edgeKey).isEqualTo(update.stats().edgeKey());
            if (!refusing) {
                edges.add(update);
            }
            return !refusing;
        }

        @Override
        public boolean link(String linkKey, LinkState link) {
            links.add(link);
            return true;
        }
    }

    @TempDir
    Path stateDir;
    private final Recorded sink = new Recorded();
    private TopologyTestDriver driver;
    private TestInputTopic<String, FlowRecord> flows;
    private TestInputTopic<String, LinkStateRecord> links;

    @BeforeEach
    void setUp() {
        ProcessorConfig config = ProcessorConfig.from(ConfigValues.of(Map.of("kafka.bootstrap_servers", "unused:9092",
                "processor.state_dir", stateDir.toString())));
        assertThat(config.liveInterval()).as("the default").isEqualTo(INTERVAL);
        driver = new TopologyTestDriver(TopologyStreams.build(config, new ProcessingCounters(), sink),
                TopologyProcessor.streamsProperties(config), Instant.ofEpochMilli(T0));
        flows = driver.createInputTopic(config.topics().flows(), new StringSerializer(), ProtoSerde.flows().serializer());
        links = driver.createInputTopic(config.topics().links(), new StringSerializer(), ProtoSerde.links().serializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aFlowAfterAQuietSpellGoesOutAtOnceAndLaterOnesOncePerEdgeAndWindowPerInterval() {
        send("cart", Verdict.FORWARDED, T0 + 1);
        assertThat(sink.edges).as("the first flow, at once").singleElement()
                .satisfies(u -> assertThat(u.stats().flows()).isEqualTo(1));

        for (int i = 0; i < 5; i++) {
            send("cart", Verdict.FORWARDED, T0 + 10 + i);
        }
        send("cart", Verdict.DROPPED, T0 + MINUTE + 1);
        send("cart", Verdict.FORWARDED, T0 + MINUTE + 2);
        send("redis", Verdict.FORWARDED, T0 + 20);
        driver.advanceWallClockTime(INTERVAL.minusMillis(1));
        assertThat(sink.edges).as("nothing before the interval has passed").hasSize(1);

        driver.advanceWallClockTime(Duration.ofMillis(1));
        List<EdgeUpdate> sent = sink.edges.subList(1, sink.edges.size());
        assertThat(sent).as("one state per edge and window, however many flows it took")
                .extracting(u -> u.stats().dst() + "@" + (u.windowStart().toEpochMilli() - T0) + "=" + u.stats().flows())
                .containsExactlyInAnyOrder("data/statefulset/cart@0=6", "data/statefulset/cart@60000=2",
                        "data/statefulset/redis@0=1");
        EdgeUpdate next = sent.stream().filter(u -> u.windowStart().toEpochMilli() == T0 + MINUTE).findFirst().orElseThrow();
        assertThat(next.windowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * MINUTE));
        assertThat(next.stats().verdicts()).containsEntry("DROPPED", 1L).containsEntry("FORWARDED", 1L);

        driver.advanceWallClockTime(INTERVAL.multipliedBy(3));
        assertThat(sink.edges).as("nothing changed: nothing sent").hasSize(4);
    }

    @Test
    void theLastLiveStateOfAWindowIsTheStoredOne() {
        for (int i = 0; i < 40; i++) {
            send(i % 3 == 0 ? "cart" : "redis", i % 7 == 0 ? Verdict.DROPPED : Verdict.FORWARDED, T0 + i * 1_000L);
            driver.advanceWallClockTime(Duration.ofMillis(30));
        }
        driver.advanceWallClockTime(INTERVAL);

        Map<String, EdgeUpdate> latest = new java.util.HashMap<>();
        Map<String, Long> highest = new java.util.HashMap<>();
        for (EdgeUpdate u : sink.edges) {
            String key = u.topicKey();
            assertThat(u.stats().flows()).as("never lower than before: " + key).isGreaterThanOrEqualTo(highest.getOrDefault(key, 0L));
            highest.put(key, u.stats().flows());
            latest.put(key, u);
        }
        assertThat(sink.edges.size()).as("coalesced: fewer states than flows").isLessThan(40);
        WindowStore<String, ValueAndTimestamp<EdgeTally>> store = driver.getTimestampedWindowStore(TopologyStreams.EDGES_STORE);
        Map<String, EdgeUpdate> stored = new java.util.HashMap<>();
        try (var it = store.fetchAll(Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            it.forEachRemaining(kv -> {
                EdgeUpdate u = EdgeUpdate.of(kv.key.window().startTime(), kv.key.window().endTime(), EdgeFigures.stats(kv.value.value()));
                stored.put(u.topicKey(), u);
            });
        }
        assertThat(latest).isEqualTo(stored);
    }

    @Test
    void aStateKafkaRefusesIsSentAgainAtTheNextInterval() {
        sink.refusing = true;
        send("cart", Verdict.FORWARDED, T0 + 1);
        send("cart", Verdict.FORWARDED, T0 + 2);
        driver.advanceWallClockTime(INTERVAL);
        assertThat(sink.edges).isEmpty();

        sink.refusing = false;
        driver.advanceWallClockTime(INTERVAL);
        assertThat(sink.edges).singleElement().satisfies(u -> assertThat(u.stats().flows()).isEqualTo(2));
    }

    @Test
    void linkStatesAreCoalescedPerLinkAndInterval() {
        link("eth0", "up", 1);
        assertThat(sink.links).extracting(LinkState::state).containsExactly("up");
        link("eth0", "down", 2);
        link("eth0", "up", 3);
        link("eth1", "down", 4);
        assertThat(sink.links).hasSize(1);

        driver.advanceWallClockTime(INTERVAL);
        assertThat(sink.links).extracting(l -> l.name() + "=" + l.state()).containsExactly("eth0=up", "eth0=up", "eth1=down");
        assertThat(sink.links.get(1).observed()).isEqualTo(Instant.ofEpochSecond(3));
    }

    private void send(String to, Verdict verdict, long timeMs) {
        FlowRecord flow = FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setVerdict(verdict).setNodeName("node-a")
                .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod("web-0"))
                .setDestination(EndpointRef.newBuilder().setNamespace("data").setPod(to + "-0"))
                .setProtocol(L4Protocol.TCP).setDestinationPort(6379).build();
        flows.pipeInput(EdgeKey.of(flow).text(), flow, timeMs);
    }

    private void link(String name, String state, long seconds) {
        links.pipeInput("node-a/" + name, LinkStateRecord.newBuilder().setNodeName("node-a").setInterface(name)
                .setOperstate(state).setMac("02:00:00:00:00:01").setObservedUnixNanos(seconds * 1_000_000_000L).build());
    }
}
