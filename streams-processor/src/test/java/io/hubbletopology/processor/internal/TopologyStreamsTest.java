package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessingCounters;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.processor.output.Workload;
import io.hubbletopology.processor.serde.ProtoSerde;
import io.hubbletopology.records.DnsRecord;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.HttpRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.LinkCounters;
import io.hubbletopology.records.LinkStateRecord;
import io.hubbletopology.records.TcpFlag;

class TopologyStreamsTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_040_000L - 1_700_000_040_000L % MINUTE;

    @TempDir
    Path stateDir;
    private ProcessorConfig config;
    private ProcessingCounters counters;
    private TopologyTestDriver driver;
    private TestInputTopic<String, FlowRecord> flows;
    private TestInputTopic<String, byte[]> rawFlows;
    private TestInputTopic<String, LinkStateRecord> links;
    private TestOutputTopic<String, String> edgeUpdates;
    private TestOutputTopic<String, String> linkChanges;
    private TestOutputTopic<String, String> workloadChanges;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        config = ProcessorConfig.from(ConfigValues.of(Map.of("kafka.bootstrap_servers", "unused:9092",
                "processor.state_dir", stateDir.toString(), "processor.window.grace", "30s")));
        counters = new ProcessingCounters();
        Properties props = TopologyProcessor.streamsProperties(config);
        driver = new TopologyTestDriver(TopologyStreams.build(config, counters), props);
        flows = driver.createInputTopic(config.topics().flows(), new StringSerializer(), ProtoSerde.flows().serializer());
        rawFlows = driver.createInputTopic(config.topics().flows(), new StringSerializer(), new ByteArraySerializer());
        links = driver.createInputTopic(config.topics().links(), new StringSerializer(), ProtoSerde.links().serializer());
        edgeUpdates = driver.createOutputTopic(config.topics().edgeUpdates(), new StringDeserializer(), new StringDeserializer());
        linkChanges = driver.createOutputTopic(config.topics().linkChanges(), new StringDeserializer(), new StringDeserializer());
        workloadChanges = driver.createOutputTopic(config.topics().workloadChanges(), new StringDeserializer(), new StringDeserializer());
        deadLetters = driver.createOutputTopic(config.topics().deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static EndpointRef pod(String namespace, String pod, String... labels) {
        return EndpointRef.newBuilder().setNamespace(namespace).setPod(pod).addAllLabels(List.of(labels)).build();
    }

    private static FlowRecord.Builder flow(String from, String to, int port, Verdict verdict, long timeMs) {
        return FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setVerdict(verdict).setNodeName("node-a")
                .setSource(pod("shop", from + "-0")).setDestination(pod("data", to + "-0"))
                .setProtocol(L4Protocol.TCP).setDestinationPort(port);
    }

    private void send(FlowRecord.Builder f) {
        FlowRecord flow = f.build();
        flows.pipeInput(EdgeKey.of(flow).text(), flow, flow.getTimeUnixNanos() / 1_000_000L);
    }

    /** The stored figures of every edge window, by edge destination and window start. */
    private Map<String, EdgeStats> windows() {
        WindowStore<String, ValueAndTimestamp<EdgeTally>> store = driver.getTimestampedWindowStore(TopologyStreams.EDGES_STORE);
        try (var it = store.fetchAll(Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            return toMap(it);
        }
    }

    private static Map<String, EdgeStats> toMap(
            org.apache.kafka.streams.state.KeyValueIterator<org.apache.kafka.streams.kstream.Windowed<String>, ValueAndTimestamp<EdgeTally>> it) {
        Map<String, EdgeStats> out = new java.util.TreeMap<>();
        it.forEachRemaining(kv -> {
            EdgeStats s = EdgeFigures.stats(kv.value.value());
            out.put(s.dst() + "@" + (kv.key.window().start() - T0) / MINUTE, s);
        });
        return out;
    }

    @Test
    void countsFlowsPerEdgeInOneMinuteWindowsSplitAtTheBoundary() {
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 1_000));
        send(flow("web", "db", 5432, Verdict.DROPPED, T0 + 59_999));
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + MINUTE));
        send(flow("web", "cache", 6379, Verdict.FORWARDED, T0 + 2_000));

        Map<String, EdgeStats> windows = windows();
        assertThat(windows).containsOnlyKeys("data/statefulset/db@0", "data/statefulset/db@1", "data/statefulset/cache@0");
        EdgeStats first = windows.get("data/statefulset/db@0");
        assertThat(first.flows()).isEqualTo(2);
        assertThat(first.src()).isEqualTo("shop/statefulset/web");
        assertThat(first.protocol()).isEqualTo("TCP");
        assertThat(first.port()).isEqualTo(5432);
        assertThat(first.firstSeen()).isEqualTo(Instant.ofEpochMilli(T0 + 1_000));
        assertThat(first.lastSeen()).isEqualTo(Instant.ofEpochMilli(T0 + 59_999));
        assertThat(windows.get("data/statefulset/db@1").flows()).isEqualTo(1);
    }

    @Test
    void countsFlowsPerVerdictAndDropReasonByHubblesNames() {
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 1));
        send(flow("web", "db", 5432, Verdict.DROPPED, T0 + 2).setDropReason(DropReason.POLICY_DENIED));
        send(flow("web", "db", 5432, Verdict.DROPPED, T0 + 3).setDropReason(DropReason.POLICY_DENIED));
        send(flow("web", "db", 5432, Verdict.DROPPED, T0 + 4).setDropReasonValue(250));
        send(flow("web", "db", 5432, Verdict.AUDIT, T0 + 5));
        send(flow("web", "db", 5432, Verdict.ERROR, T0 + 6));
        send(flow("web", "db", 5432, Verdict.REDIRECTED, T0 + 7));

        EdgeStats s = windows().get("data/statefulset/db@0");
        assertThat(s.flows()).isEqualTo(7);
        assertThat(s.verdicts()).containsExactlyInAnyOrderEntriesOf(Map.of("FORWARDED", 1L, "DROPPED", 3L, "AUDIT", 1L,
                "ERROR", 1L, "REDIRECTED", 1L));
        // A drop reason newer than our protos is kept as its number.
        assertThat(s.dropReasons()).containsExactlyInAnyOrderEntriesOf(Map.of("POLICY_DENIED", 2L, "250", 1L));
    }

    @Test
    void countsTcpFlagsHttpStatusClassesDnsFailuresLatencyEncryptionAndReportingNodes() {
        send(flow("web", "db", 80, Verdict.FORWARDED, T0 + 1).setTcpFlags(TcpFlag.TCP_SYN_VALUE));
        send(flow("web", "db", 80, Verdict.FORWARDED, T0 + 2).setTcpFlags(TcpFlag.TCP_SYN_VALUE | TcpFlag.TCP_ACK_VALUE));
        send(flow("web", "db", 80, Verdict.FORWARDED, T0 + 3).setTcpFlags(TcpFlag.TCP_RST_VALUE).setNodeName("node-b"));
        send(flow("web", "db", 80, Verdict.FORWARDED, T0 + 4).setEncrypted(true)
                .setL7(L7Record.newBuilder().setType(L7FlowType.REQUEST).setHttp(HttpRecord.newBuilder().setMethod("GET"))));
        send(flow("web", "db", 80, Verdict.FORWARDED, T0 + 5).setL7(L7Record.newBuilder().setType(L7FlowType.RESPONSE)
                .setLatencyNs(2_000_000).setHttp(HttpRecord.newBuilder().setCode(200))));
        send(flow("web", "db", 80, Verdict.FORWARDED, T0 + 6).setL7(L7Record.newBuilder().setType(L7FlowType.RESPONSE)
                .setLatencyNs(6_000_000).setHttp(HttpRecord.newBuilder().setCode(503))));
        send(flow("web", "dns", 53, Verdict.FORWARDED, T0 + 7).setProtocol(L4Protocol.UDP)
                .setL7(L7Record.newBuilder().setType(L7FlowType.REQUEST).setDns(DnsRecord.newBuilder().setQuery("a."))));
        send(flow("web", "dns", 53, Verdict.FORWARDED, T0 + 8).setProtocol(L4Protocol.UDP)
                .setL7(L7Record.newBuilder().setType(L7FlowType.RESPONSE).setDns(DnsRecord.newBuilder().setQuery("a.").setRcode(3))));

        Map<String, EdgeStats> windows = windows();
        EdgeStats http = windows.get("data/statefulset/db@0");
        assertThat(http.tcp()).isEqualTo(new EdgeStats.Tcp(2, 1));
        assertThat(http.http().requests()).isEqualTo(1);
        assertThat(http.http().status()).containsExactlyInAnyOrderEntriesOf(Map.of("2xx", 1L, "5xx", 1L));
        assertThat(http.latency()).isEqualTo(new EdgeStats.Latency(2, 8_000_000, 6_000_000));
        assertThat(http.encrypted()).isTrue();
        assertThat(http.nodes()).containsExactly("node-a", "node-b");
        EdgeStats dns = windows.get("data/statefulset/dns@0");
        assertThat(dns.protocol()).isEqualTo("UDP");
        assertThat(dns.dns()).isEqualTo(new EdgeStats.Dns(1, 1));
        assertThat(dns.encrypted()).isFalse();
    }

    @Test
    void aReplyAddsItsStatusAndLatencyToTheEdgeOfTheRequestWithoutCountingAsAFlow() {
        send(flow("web", "db", 8080, Verdict.FORWARDED, T0 + 1).setSourcePort(41_000).setIsReply(false)
                .setL7(L7Record.newBuilder().setType(L7FlowType.REQUEST).setHttp(HttpRecord.newBuilder().setMethod("GET"))));
        // The answer: from db back to web's ephemeral port, as Hubble reports it.
        send(FlowRecord.newBuilder().setTimeUnixNanos((T0 + 2) * 1_000_000L).setVerdict(Verdict.FORWARDED).setNodeName("node-b")
                .setSource(pod("data", "db-0")).setDestination(pod("shop", "web-0")).setProtocol(L4Protocol.TCP)
                .setSourcePort(8080).setDestinationPort(41_000).setIsReply(true)
                .setL7(L7Record.newBuilder().setType(L7FlowType.RESPONSE).setLatencyNs(3_000_000).setHttp(HttpRecord.newBuilder().setCode(503))));

        Map<String, EdgeStats> windows = windows();
        assertThat(windows).containsOnlyKeys("data/statefulset/db@0");
        EdgeStats edge = windows.get("data/statefulset/db@0");
        assertThat(edge.src()).isEqualTo("shop/statefulset/web");
        assertThat(edge.port()).isEqualTo(8080);
        assertThat(edge.flows()).isEqualTo(1);
        assertThat(edge.verdicts()).containsExactlyEntriesOf(Map.of("FORWARDED", 1L));
        assertThat(edge.http().requests()).isEqualTo(1);
        assertThat(edge.http().status()).containsExactlyEntriesOf(Map.of("5xx", 1L));
        assertThat(edge.latency()).isEqualTo(new EdgeStats.Latency(1, 3_000_000, 3_000_000));
        assertThat(edge.nodes()).containsExactly("node-a", "node-b");
        assertThat(edge.lastSeen()).isEqualTo(Instant.ofEpochMilli(T0 + 2));
    }

    private static L7Record.Builder request(String method, String url) {
        return L7Record.newBuilder().setType(L7FlowType.REQUEST).setHttp(HttpRecord.newBuilder().setMethod(method).setUrl(url));
    }

    @Test
    void countsHttpRequestsPerMethodAndPathOnTheEdgeAndPublishesThemAsRoutes() throws Exception {
        send(flow("web", "cart", 8080, Verdict.FORWARDED, T0 + 1).setIsReply(false)
                .setL7(request("GET", "http://cart.data.svc.cluster.local:8080/api/cart?user=1")));
        send(flow("web", "cart", 8080, Verdict.FORWARDED, T0 + 2).setL7(request("GET", "http://cart.data:8080/api/cart?user=2#x")));
        send(flow("web", "cart", 8080, Verdict.FORWARDED, T0 + 3).setL7(request("POST", "/api/cart/items")));
        send(flow("web", "cart", 8080, Verdict.FORWARDED, T0 + 4).setL7(request("", "/no-method")));
        // The response carries the request's method and URL too; it is not a request of the route.
        send(FlowRecord.newBuilder().setTimeUnixNanos((T0 + 5) * 1_000_000L).setVerdict(Verdict.FORWARDED).setNodeName("node-a")
                .setSource(pod("data", "cart-0")).setDestination(pod("shop", "web-0")).setProtocol(L4Protocol.TCP)
                .setSourcePort(8080).setDestinationPort(41_000).setIsReply(true)
                .setL7(L7Record.newBuilder().setType(L7FlowType.RESPONSE).setHttp(HttpRecord.newBuilder().setCode(200)
                        .setMethod("GET").setUrl("http://cart.data:8080/api/cart"))));

        EdgeStats edge = windows().get("data/statefulset/cart@0");
        assertThat(edge.http().requests()).isEqualTo(4);
        assertThat(edge.http().routes()).containsExactly(new EdgeStats.Route("GET", "/api/cart", 2),
                new EdgeStats.Route("POST", "/api/cart/items", 1));
        assertThat(edge.http().routesOther()).as("the request without a method").isEqualTo(1);
        assertThat(edge.http().status()).containsExactlyEntriesOf(Map.of("2xx", 1L));

        var json = OutputJson.MAPPER.readTree(edgeUpdates.readKeyValuesToMap()
                .get("shop/statefulset/web -> data/statefulset/cart TCP/8080@" + T0));
        assertThat(json.path("http").path("requests").asLong()).isEqualTo(4);
        assertThat(json.path("http").path("status").path("2xx").asLong()).isEqualTo(1);
        assertThat(json.path("http").path("routes").path(0).path("method").asText()).isEqualTo("GET");
        assertThat(json.path("http").path("routes").path(0).path("path").asText()).isEqualTo("/api/cart");
        assertThat(json.path("http").path("routes").path(0).path("requests").asLong()).isEqualTo(2);
        assertThat(json.path("http").path("routes_other").asLong()).isEqualTo(1);
        // Consumers read it back with the same class.
        assertThat(OutputJson.MAPPER.treeToValue(json, EdgeUpdate.class).stats().http()).isEqualTo(edge.http());
    }

    @Test
    void anEdgeWindowKeeps32RoutesAndCountsTheRestAsOther() {
        for (int i = 0; i < 40; i++) {
            send(flow("web", "cart", 8080, Verdict.FORWARDED, T0 + i).setL7(request("GET", "/item/" + i)));
        }
        EdgeStats edge = windows().get("data/statefulset/cart@0");
        assertThat(edge.http().requests()).isEqualTo(40);
        assertThat(edge.http().routes()).hasSize(EdgeStats.Http.MAX_ROUTES);
        assertThat(edge.http().routesOther()).isEqualTo(8);
        assertThat(edge.http().routesComplete()).isFalse();
    }

    @Test
    void dropsLateFlowsAfterGraceAndCountsThem() {
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 1_000));
        // Stream time moves to 29 s past the first window's end: still within its 30 s grace...
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + MINUTE + 29_000));
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 2_000));
        assertThat(counters.lateFlows()).isZero();
        // ...then past it: a flow for the first window is too late, one for the second is not.
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + MINUTE + 30_000));
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 3_000));
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + MINUTE + 1_000));

        Map<String, EdgeStats> windows = windows();
        assertThat(windows.get("data/statefulset/db@0").flows()).isEqualTo(2);
        assertThat(windows.get("data/statefulset/db@1").flows()).isEqualTo(3);
        assertThat(counters.lateFlows()).isEqualTo(1);
    }

    @Test
    void publishesEachEdgeWindowKeyedByEdgeAndWindowStartWithItsSchema() throws Exception {
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 1_000));
        send(flow("web", "db", 5432, Verdict.DROPPED, T0 + 2_000).setDropReason(DropReason.POLICY_DENIED));

        Map<String, String> latest = edgeUpdates.readKeyValuesToMap();
        String key = "shop/statefulset/web -> data/statefulset/db TCP/5432@" + T0;
        assertThat(latest).containsOnlyKeys(key);
        var json = OutputJson.MAPPER.readTree(latest.get(key));
        assertThat(json.path("schema").asText()).isEqualTo("hubble-topology.edge/v1");
        assertThat(json.path("window_start").asText()).isEqualTo(Instant.ofEpochMilli(T0).toString());
        assertThat(json.path("window_end").asText()).isEqualTo(Instant.ofEpochMilli(T0 + MINUTE).toString());
        assertThat(json.path("src").asText()).isEqualTo("shop/statefulset/web");
        assertThat(json.path("src_namespace").asText()).isEqualTo("shop");
        assertThat(json.path("flows").asLong()).isEqualTo(2);
        assertThat(json.path("verdicts").path("DROPPED").asLong()).isEqualTo(1);
        assertThat(json.path("drop_reasons").path("POLICY_DENIED").asLong()).isEqualTo(1);
        assertThat(json.path("tcp").path("syn").isNumber()).isTrue();
        assertThat(json.path("latency").has("sum_ns")).isTrue();
        assertThat(json.path("first_seen").asText()).isEqualTo(Instant.ofEpochMilli(T0 + 1_000).toString());
        // Consumers read it back with the same class.
        EdgeUpdate update = OutputJson.MAPPER.readValue(latest.get(key), EdgeUpdate.class);
        assertThat(update.topicKey()).isEqualTo(key);
        assertThat(update.stats().dropped()).isEqualTo(1);
    }

    @Test
    void namesWorldHostDnsAndReservedEndpointsAsOperatorsDo() {
        EndpointRef web = pod("shop", "web-7d4b9c5f8-x2x9k");
        send(flow("x", "y", 443, Verdict.FORWARDED, T0 + 1).setSource(EndpointRef.newBuilder().setIdentity(2).setIp("203.0.113.7")).setDestination(web));
        send(flow("x", "y", 443, Verdict.FORWARDED, T0 + 2).setSource(web)
                .setDestination(EndpointRef.newBuilder().setIdentity(2).setIp("198.51.100.20").addDnsNames("api.stripe.com")));
        send(flow("x", "y", 10250, Verdict.FORWARDED, T0 + 3).setSource(EndpointRef.newBuilder().setIdentity(1)).setDestination(web));
        send(flow("x", "y", 6443, Verdict.FORWARDED, T0 + 4).setSource(web)
                .setDestination(EndpointRef.newBuilder().setIdentity(16777217).addLabels("reserved:kube-apiserver")));
        send(flow("x", "y", 53, Verdict.FORWARDED, T0 + 5).setSource(web)
                .setDestination(EndpointRef.newBuilder().setIdentity(16777300).setIp("8.8.8.8")));

        WindowStore<String, ValueAndTimestamp<EdgeTally>> store = driver.getTimestampedWindowStore(TopologyStreams.EDGES_STORE);
        List<String> edges = new java.util.ArrayList<>();
        try (var it = store.fetchAll(Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            it.forEachRemaining(kv -> edges.add(EdgeFigures.stats(kv.value.value()).edgeKey()));
        }
        java.util.Collections.sort(edges);
        assertThat(edges).containsExactly(
                "reserved:host -> shop/deployment/web TCP/10250",
                "reserved:world -> shop/deployment/web TCP/443",
                "shop/deployment/web -> dns:api.stripe.com TCP/443",
                "shop/deployment/web -> ip:public TCP/53",
                "shop/deployment/web -> reserved:kube-apiserver TCP/6443");
    }

    @Test
    void sendsUndecodableFlowsToTheDeadLetterTopicWithWhyAndWhereFromAndGoesOn() {
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 1));
        rawFlows.pipeInput(new TestRecord<>("some-edge", new byte[] {(byte) 0xff, 0x01, 0x02}, Instant.ofEpochMilli(T0 + 2)));
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 3));

        assertThat(windows().get("data/statefulset/db@0").flows()).isEqualTo(2);
        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        TestRecord<byte[], byte[]> letter = letters.get(0);
        assertThat(letter.value()).containsExactly((byte) 0xff, 0x01, 0x02);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("some-edge");
        Map<String, String> headers = headers(letter.headers());
        assertThat(headers.get(DeadLetters.MESSAGE)).startsWith("cannot decode");
        assertThat(headers).containsEntry(DeadLetters.TOPIC, config.topics().flows())
                .containsEntry(DeadLetters.PARTITION, "0").containsEntry(DeadLetters.OFFSET, "1");
    }

    @Test
    void sendsFlowsTheModelCannotUseToTheDeadLetterTopicWithTheReason() {
        FlowRecord noDestination = flow("web", "db", 5432, Verdict.FORWARDED, T0 + 1).clearDestination().build();
        flows.pipeInput("web -> ?", noDestination, T0 + 1);
        FlowRecord noKey = flow("web", "db", 5432, Verdict.FORWARDED, T0 + 2).build();
        flows.pipeInput((String) null, noKey, T0 + 2);
        FlowRecord noTime = flow("web", "db", 5432, Verdict.FORWARDED, 0).build();
        flows.pipeInput(EdgeKey.of(noTime).text(), noTime, T0 + 3);
        send(flow("web", "db", 5432, Verdict.FORWARDED, T0 + 4));

        List<String> reasons = deadLetters.readRecordsToList().stream()
                .map(r -> headers(r.headers()).get(DeadLetters.MESSAGE)).toList();
        assertThat(reasons).containsExactly("flow without destination endpoint",
                "flow without key: the ingest keys every flow by its edge", "flow without time");
        assertThat(windows().get("data/statefulset/db@0").flows()).isEqualTo(1);
    }

    private static LinkStateRecord.Builder link(String state, long observedMs, long rxBytes, long txBytes, long errors, long drops) {
        return LinkStateRecord.newBuilder().setNodeName("n1").setInterface("eth0").setOperstate(state).setCarrier(1)
                .setSpeedMbps(10_000).setMtu(1500).setMac("02:00:00:00:00:01").setObservedUnixNanos(observedMs * 1_000_000L)
                .setCounters(LinkCounters.newBuilder().setRxBytes(rxBytes).setTxBytes(txBytes).setRxErrors(errors)
                        .setTxDropped(drops));
    }

    private List<LinkState> linkChanges() {
        return linkChanges.readValuesToList().stream().map(v -> read(v, LinkState.class)).toList();
    }

    @Test
    void derivesRatesFromConsecutiveCountersAndKeepsTheTimeOfTheLastChange() {
        links.pipeInput("n1/eth0", link("up", T0, 1_000, 500, 0, 0).build());
        links.pipeInput("n1/eth0", link("up", T0 + 2_000, 5_000, 2_500, 4, 2).build());
        links.pipeInput("n1/eth0", link("lowerlayerdown", T0 + 4_000, 5_000, 2_500, 4, 2).clearCarrier().build());

        List<LinkState> changes = linkChanges();
        assertThat(changes).hasSize(3);
        LinkState first = changes.get(0);
        assertThat(first.rxBytesPerS()).isNull();
        assertThat(first.lastChange()).isEqualTo(Instant.ofEpochMilli(T0));
        LinkState second = changes.get(1);
        assertThat(second.rxBytesPerS()).isEqualTo(2_000.0);
        assertThat(second.txBytesPerS()).isEqualTo(1_000.0);
        assertThat(second.errorsPerS()).isEqualTo(2.0);
        assertThat(second.dropsPerS()).isEqualTo(1.0);
        assertThat(second.lastChange()).as("counters moving is no state change").isEqualTo(Instant.ofEpochMilli(T0));
        LinkState third = changes.get(2);
        assertThat(third.state()).isEqualTo("lowerlayerdown");
        assertThat(third.carrier()).isNull();
        assertThat(third.rxBytesPerS()).isEqualTo(0.0);
        assertThat(third.lastChange()).isEqualTo(Instant.ofEpochMilli(T0 + 4_000));
        assertThat(third.schema()).isEqualTo("hubble-topology.link/v1");

        KeyValueStore<String, TrackedLink> store = driver.getKeyValueStore(TopologyStreams.LINKS_STORE);
        assertThat(store.get("n1/eth0").link()).isEqualTo(third);
    }

    @Test
    void aCounterResetGivesNoRateForThatIntervalInsteadOfANegativeOrHugeOne() {
        links.pipeInput("n1/eth0", link("up", T0, 9_000_000, 9_000_000, 10, 10).build());
        // The interface was recreated: every counter starts again near zero.
        links.pipeInput("n1/eth0", link("up", T0 + 1_000, 300, 9_000_100, 0, 10).build());
        links.pipeInput("n1/eth0", link("up", T0 + 2_000, 1_300, 9_000_300, 1, 10).build());

        List<LinkState> changes = linkChanges();
        LinkState afterReset = changes.get(1);
        assertThat(afterReset.rxBytesPerS()).isNull();
        assertThat(afterReset.errorsPerS()).isNull();
        assertThat(afterReset.txBytesPerS()).as("a counter that did not reset still has its rate").isEqualTo(100.0);
        LinkState next = changes.get(2);
        assertThat(next.rxBytesPerS()).isEqualTo(1_000.0);
        assertThat(next.errorsPerS()).isEqualTo(1.0);
    }

    @Test
    void publishesARemovedInterfaceOnceAndForgetsIt() {
        links.pipeInput("n1/veth9", link("up", T0, 0, 0, 0, 0).setInterface("veth9").build());
        links.pipeInput("n1/veth9", LinkStateRecord.newBuilder().setNodeName("n1").setInterface("veth9").setRemoved(true)
                .setObservedUnixNanos((T0 + 1_000) * 1_000_000L).build());

        List<LinkState> changes = linkChanges();
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).removed()).isTrue();
        assertThat(changes.get(1).state()).isEqualTo("up");
        KeyValueStore<String, TrackedLink> store = driver.getKeyValueStore(TopologyStreams.LINKS_STORE);
        assertThat(store.get("n1/veth9")).isNull();
    }

    @Test
    void keepsAnInventoryOfWorkloadsWithTheirLabelsPodsAndLastSeen() {
        EndpointRef cart0 = EndpointRef.newBuilder().setNamespace("shop").setPod("cart-7d4b9c5f8-aaaaa").setWorkloadKind("Deployment")
                .setWorkloadName("cart").addLabels("k8s:app=cart").addLabels("k8s:io.kubernetes.pod.namespace=shop")
                .addLabels("k8s:io.cilium.k8s.policy.serviceaccount=cart").build();
        EndpointRef cart1 = cart0.toBuilder().setPod("cart-7d4b9c5f8-bbbbb").build();
        EndpointRef redis = pod("data", "redis-0", "k8s:app=redis");
        send(flow("x", "y", 6379, Verdict.FORWARDED, T0 + 1_000).setSource(cart0).setDestination(redis));
        send(flow("x", "y", 6379, Verdict.FORWARDED, T0 + 2_000).setSource(cart1).setDestination(redis));
        send(flow("x", "y", 6379, Verdict.FORWARDED, T0 + 3_000).setSource(cart0).setDestination(redis));
        send(flow("x", "y", 6379, Verdict.FORWARDED, T0 + MINUTE + 5_000).setSource(cart1).setDestination(redis));

        Map<String, Workload> latest = workloadChanges.readKeyValuesToMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> read(e.getValue(), Workload.class)));
        assertThat(latest).containsOnlyKeys("shop/deployment/cart", "data/statefulset/redis");
        Workload cart = latest.get("shop/deployment/cart");
        assertThat(cart.schema()).isEqualTo("hubble-topology.workload/v1");
        assertThat(cart.namespace()).isEqualTo("shop");
        assertThat(cart.kind()).isEqualTo("deployment");
        assertThat(cart.name()).isEqualTo("cart");
        assertThat(cart.labels()).containsExactly(Map.entry("app", "cart"));
        assertThat(cart.pods()).containsExactly("cart-7d4b9c5f8-aaaaa", "cart-7d4b9c5f8-bbbbb");
        assertThat(cart.lastSeen()).isEqualTo(Instant.ofEpochMilli(T0 + MINUTE + 5_000));
        assertThat(latest.get("data/statefulset/redis").pods()).containsExactly("redis-0");
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return OutputJson.MAPPER.readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + json, e);
        }
    }

    private static Map<String, String> headers(Headers headers) {
        Map<String, String> out = new java.util.HashMap<>();
        headers.forEach(h -> out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return out;
    }

}
