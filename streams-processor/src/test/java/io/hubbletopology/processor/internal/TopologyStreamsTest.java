package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.model.EdgeKeys;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.LinkState;
import io.hubbletopology.processor.serde.ProtoSerde;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.LinkStateRecord;

class TopologyStreamsTest {

    private static final long MINUTE = 60_000;
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, FlowRecord> flows;
    private TestInputTopic<String, LinkStateRecord> links;

    @BeforeEach
    void setUp() {
        ProcessorConfig config = ProcessorConfig.defaults("unused:9092", stateDir);
        java.util.Properties props = new java.util.Properties();
        props.put("application.id", "test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("state.dir", stateDir.toString());
        driver = new TopologyTestDriver(TopologyStreams.build(config), props);
        flows = driver.createInputTopic(config.topics().flows(), new StringSerializer(), ProtoSerde.flows().serializer());
        links = driver.createInputTopic(config.topics().links(), new StringSerializer(), ProtoSerde.links().serializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static FlowRecord flow(String from, String to, int port, Verdict verdict, long timeMs) {
        return FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setVerdict(verdict)
                .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod(from + "-0"))
                .setDestination(EndpointRef.newBuilder().setNamespace("data").setPod(to + "-0"))
                .setProtocol(L4Protocol.TCP).setDestinationPort(port).build();
    }

    private void send(FlowRecord f) {
        flows.pipeInput(EdgeKeys.of(f), f, f.getTimeUnixNanos() / 1_000_000L);
    }

    private List<KeyValue<Windowed<String>, ValueAndTimestamp<EdgeStats>>> windows() {
        WindowStore<String, ValueAndTimestamp<EdgeStats>> store = driver.getTimestampedWindowStore(TopologyStreams.EDGES_STORE);
        List<KeyValue<Windowed<String>, ValueAndTimestamp<EdgeStats>>> out = new ArrayList<>();
        try (var it = store.fetchAll(Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void countsFlowsPerEdgeAndVerdictWithinOneMinuteWindows() {
        long t0 = 10 * MINUTE;
        send(flow("web", "db", 5432, Verdict.FORWARDED, t0 + 1_000));
        send(flow("web", "db", 5432, Verdict.DROPPED, t0 + 59_999));
        send(flow("web", "db", 5432, Verdict.FORWARDED, t0 + MINUTE));
        send(flow("web", "cache", 6379, Verdict.FORWARDED, t0 + 2_000));

        var windows = windows();
        assertThat(windows).hasSize(3);
        EdgeStats first = windows.stream()
                .filter(w -> w.key.window().start() == t0 && w.value.value().dst().endsWith("db"))
                .findFirst().orElseThrow().value.value();
        assertThat(first.flows()).isEqualTo(2);
        assertThat(first.forwarded()).isEqualTo(1);
        assertThat(first.dropped()).isEqualTo(1);
        assertThat(first.src()).isEqualTo("shop/statefulset/web");
        assertThat(first.port()).isEqualTo(5432);
        assertThat(first.firstSeenMs()).isEqualTo(t0 + 1_000);
        assertThat(first.lastSeenMs()).isEqualTo(t0 + 59_999);
        EdgeStats second = windows.stream().filter(w -> w.key.window().start() == t0 + MINUTE)
                .findFirst().orElseThrow().value.value();
        assertThat(second.flows()).isEqualTo(1);
    }

    @Test
    void ignoresFlowsLaterThanTheGracePeriod() {
        long t0 = 10 * MINUTE;
        send(flow("web", "db", 5432, Verdict.FORWARDED, t0 + 1_000));
        // Stream time moves past the first window's end plus 30 s grace...
        send(flow("web", "db", 5432, Verdict.FORWARDED, t0 + MINUTE + 31_000));
        // ...so a flow for the first window is too late.
        send(flow("web", "db", 5432, Verdict.FORWARDED, t0 + 2_000));
        long firstWindowFlows = windows().stream().filter(w -> w.key.window().start() == t0)
                .mapToLong(w -> w.value.value().flows()).sum();
        assertThat(firstWindowFlows).isEqualTo(1);
    }

    @Test
    void keepsTheLatestLinkStateAndForgetsRemovedInterfaces() {
        LinkStateRecord up = LinkStateRecord.newBuilder().setNodeName("n1").setInterface("eth0").setOperstate("up")
                .setCarrier(1).setSpeedMbps(10000).build();
        links.pipeInput("n1/eth0", up);
        links.pipeInput("n1/eth0", up.toBuilder().setOperstate("lowerlayerdown").clearCarrier().build());
        links.pipeInput("n1/veth9", up.toBuilder().setInterface("veth9").build());
        links.pipeInput("n1/veth9", LinkStateRecord.newBuilder().setNodeName("n1").setInterface("veth9").setRemoved(true).build());

        KeyValueStore<String, ValueAndTimestamp<LinkState>> store = driver.getTimestampedKeyValueStore(TopologyStreams.LINKS_STORE);
        LinkState eth0 = store.get("n1/eth0").value();
        assertThat(eth0.state()).isEqualTo("lowerlayerdown");
        assertThat(eth0.carrier()).isNull();
        assertThat(eth0.speed()).isEqualTo(10000L);
        assertThat(store.get("n1/veth9")).isNull();
    }
}
