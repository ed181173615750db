package io.hubbletopology.api.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.api.access.AcceptedTokens;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.CiliumEventType;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.IP;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.NetworkInterface;
import io.hubbletopology.hubble.flow.Policy;
import io.hubbletopology.hubble.flow.TCP;
import io.hubbletopology.hubble.flow.EventTypeFilter;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.flow.FlowType;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.TrafficDirection;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.flow.Workload;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.hubble.observer.GetNamespacesRequest;
import io.hubbletopology.hubble.observer.GetNodesRequest;
import io.hubbletopology.hubble.observer.Node;
import io.hubbletopology.hubble.observer.ObserverGrpc;
import io.hubbletopology.hubble.observer.ServerStatusRequest;
import io.hubbletopology.hubble.observer.ServerStatusResponse;
import io.hubbletopology.hubble.relay.NodeState;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.records.DnsRecord;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.HttpRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.TcpFlag;
import io.hubbletopology.topics.TopicNames;

/**
 * Hubble's Observer API on a real broker and real gRPC over loopback, asked what a {@code hubble observe
 * --since/--until} session asks: each filter flag (as the CLI turns it into FlowFilters), --last N, --first N,
 * --not, --follow across a live append; every answer compared with the flows that went in, by an independent
 * rule written here over the records.
 */
@Timeout(240)
class ObserverApiIT {

    private static final TopicNames TOPICS = TopicNames.prefixed("observer-it.");
    private static final int COUNT = 300;
    private static final String TOKEN = "observer-s3cret";
    @TempDir
    static Path dir;
    private static RunningApi run;
    private static ObserverServer observer;
    private static KafkaProducer<String, byte[]> producer;
    private static ManagedChannel channel;
    private static ObserverGrpc.ObserverBlockingStub stub;
    private static final List<FlowRecord> sent = new ArrayList<>();
    /** Every flow on the topic: the history and what the follow test appends live. */
    private static final List<FlowRecord> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static Instant t0;
    /** Hubble flows with what only a Flow carries, published through the ingest's FlowRecords. */
    private static final List<Flow> hubble = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        ApiSettings settings = new ApiSettings("127.0.0.1", 0, "hubble").withTokens(List.of(TOKEN));
        run = RunningApi.start(FastCommits.config(kafka, "observer-it", dir.resolve("state"), TOPICS,
                Map.of("processor.window.retention", "2d")),
                settings);
        observer = run.startObserver(ObserverSettings.DEFAULT.withPort(0));
        producer = new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of("linger.ms", 5)), new StringSerializer(), new ByteArraySerializer());
        t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        publishThroughTheIngestsRecords();
        for (int i = 0; i < COUNT; i++) {
            sent.add(flow(i, t0.plusSeconds(i)));
        }
        publish(sent);
        Metadata auth = new Metadata();
        auth.put(BearerTokens.AUTHORIZATION, "Bearer " + TOKEN);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", observer.port()).usePlaintext().build();
        stub = ObserverGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        run.close();
        producer.close();
    }

    /** Flow i: every attribute a filter looks at varies with i. */
    private static FlowRecord flow(int i, Instant time) {
        String[] namespaces = {"shop", "data", "payments"};
        boolean world = i % 6 == 0;
        boolean dropped = i % 7 == 0;
        boolean udp = i % 5 == 0;
        boolean http = i % 10 == 1;
        FlowRecord.Builder f = FlowRecord.newBuilder()
                .setTimeUnixNanos(time.toEpochMilli() * 1_000_000L + i)
                .setUuid("flow-" + i)
                .setVerdict(dropped ? Verdict.DROPPED : Verdict.FORWARDED)
                .setDropReason(dropped ? (i % 2 == 0 ? DropReason.POLICY_DENIED : DropReason.CT_MISSING_TCP_ACK_FLAG) : DropReason.DROP_REASON_UNKNOWN)
                .setSource(EndpointRef.newBuilder().setNamespace(namespaces[i % 3]).setPod("web-" + (i % 4))
                        .setWorkloadKind("Deployment").setWorkloadName("web").setIp("10.0." + (i % 3) + "." + (i % 4 + 1))
                        .setIdentity(1000 + i % 3).addLabels("k8s:app=web").addLabels("k8s:tier=" + (i % 2 == 0 ? "front" : "back"))
                        .setServiceName(i % 2 == 0 ? "web" : ""))
                .setDestination(world
                        ? EndpointRef.newBuilder().setIp("93.184.216.34").setIdentity(2).addLabels("reserved:world").addDnsNames("api.example.com").build()
                        : EndpointRef.newBuilder().setNamespace("data").setPod("db-0").setWorkloadKind("StatefulSet").setWorkloadName("db")
                                .setIp("10.0.1.1").setIdentity(2000).addLabels("k8s:app=db").build())
                .setProtocol(udp ? L4Protocol.UDP : L4Protocol.TCP)
                .setSourcePort((udp ? 40000 : 30000) + i)
                .setDestinationPort(udp ? 53 : 5432)
                .setTcpFlags(udp ? 0 : i % 4 == 0 ? TcpFlag.TCP_SYN_VALUE : TcpFlag.TCP_ACK_VALUE)
                .setNodeName(i % 2 == 0 ? "cluster-a/node-a" : "cluster-a/node-b")
                .setTrafficDirectionValue(i % 2 == 0 ? TrafficDirection.EGRESS_VALUE : TrafficDirection.INGRESS_VALUE)
                .setIsReply(i % 3 == 0)
                .setType(http || udp ? FlowType.L7 : FlowType.L3_L4);
        if (http) {
            f.setL7(L7Record.newBuilder().setHttp(HttpRecord.newBuilder().setCode(i % 20 == 1 ? 404 : 200)
                    .setMethod(i % 3 == 0 ? "POST" : "GET").setUrl("http://db/api/v" + (i % 2) + "/items?x=1")));
        } else if (udp) {
            f.setL7(L7Record.newBuilder().setDns(DnsRecord.newBuilder().setQuery("db.data.svc.cluster.local.")));
        }
        return f.build();
    }

    private static void publish(List<FlowRecord> flows) throws Exception {
        FlowsTopicWriter.sendAll(producer, TOPICS.flows(), flows);
        published.addAll(flows);
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** What hubble observe --since t0-1s --until t0+COUNT s sends, before its filters. */
    private static GetFlowsRequest.Builder session() {
        return GetFlowsRequest.newBuilder().setSince(ts(t0.minusSeconds(1))).setUntil(ts(t0.plusSeconds(COUNT + 1)));
    }

    private static List<String> uuids(GetFlowsRequest request) {
        List<String> out = new ArrayList<>();
        Iterator<GetFlowsResponse> it = stub.getFlows(request);
        while (it.hasNext()) {
            GetFlowsResponse r = it.next();
            assertThat(r.getNodeName()).isEqualTo(r.getFlow().getNodeName());
            assertThat(r.getTime()).isEqualTo(r.getFlow().getTime());
            out.add(r.getFlow().getUuid());
        }
        return out;
    }

    private static List<String> expected(Predicate<FlowRecord> rule) {
        return sent.stream().filter(rule).map(FlowRecord::getUuid).toList();
    }

    private static FlowFilter.Builder f() {
        return FlowFilter.newBuilder();
    }

    private static boolean ns(EndpointRef e, String ns) {
        return e.getNamespace().equals(ns);
    }

    /** Each hubble observe flag, as the FlowFilters the CLI sends for it, and the flows it means. */
    private static Map<String, Map.Entry<List<FlowFilter>, Predicate<FlowRecord>>> flags() {
        Map<String, Map.Entry<List<FlowFilter>, Predicate<FlowRecord>>> m = new LinkedHashMap<>();
        m.put("--from-pod shop/web-1", Map.entry(List.of(f().addSourcePod("shop/web-1").build()),
                r -> ns(r.getSource(), "shop") && r.getSource().getPod().startsWith("web-1")));
        m.put("--to-pod data/db", Map.entry(List.of(f().addDestinationPod("data/db").build()),
                r -> ns(r.getDestination(), "data") && r.getDestination().getPod().startsWith("db")));
        m.put("--pod payments/web-2", Map.entry(List.of(f().addSourcePod("payments/web-2").build(), f().addDestinationPod("payments/web-2").build()),
                r -> ns(r.getSource(), "payments") && r.getSource().getPod().startsWith("web-2")));
        m.put("--namespace payments", Map.entry(List.of(f().addSourcePod("payments/").build(), f().addDestinationPod("payments/").build()),
                r -> ns(r.getSource(), "payments") || ns(r.getDestination(), "payments")));
        m.put("--from-namespace shop", Map.entry(List.of(f().addSourcePod("shop/").build()), r -> ns(r.getSource(), "shop")));
        m.put("--to-namespace data", Map.entry(List.of(f().addDestinationPod("data/").build()), r -> ns(r.getDestination(), "data")));
        m.put("--from-ip 10.0.2.0/24", Map.entry(List.of(f().addSourceIp("10.0.2.0/24").build()), r -> r.getSource().getIp().startsWith("10.0.2.")));
        m.put("--to-ip 93.184.216.34", Map.entry(List.of(f().addDestinationIp("93.184.216.34").build()), r -> r.getDestination().getIp().equals("93.184.216.34")));
        m.put("--ip 10.0.1.1", Map.entry(List.of(f().addSourceIp("10.0.1.1").build(), f().addDestinationIp("10.0.1.1").build()),
                r -> r.getSource().getIp().equals("10.0.1.1") || r.getDestination().getIp().equals("10.0.1.1")));
        m.put("--from-label tier=front", Map.entry(List.of(f().addSourceLabel("tier=front").build()), r -> r.getSource().getLabelsList().contains("k8s:tier=front")));
        m.put("--label reserved:world", Map.entry(List.of(f().addSourceLabel("reserved:world").build(), f().addDestinationLabel("reserved:world").build()),
                r -> r.getDestination().getLabelsList().contains("reserved:world")));
        m.put("--to-fqdn *.example.com", Map.entry(List.of(f().addDestinationFqdn("*.example.com").build()),
                r -> r.getDestination().getDnsNamesList().contains("api.example.com")));
        m.put("--from-service shop/web", Map.entry(List.of(f().addSourceService("shop/web").build()),
                r -> ns(r.getSource(), "shop") && r.getSource().getServiceName().equals("web")));
        m.put("--to-workload db", Map.entry(List.of(f().addDestinationWorkload(Workload.newBuilder().setName("db")).build()),
                r -> r.getDestination().getWorkloadName().equals("db")));
        m.put("--to-identity 2", Map.entry(List.of(f().addDestinationIdentity(2).build()), r -> r.getDestination().getIdentity() == 2));
        m.put("--from-identity 1001", Map.entry(List.of(f().addSourceIdentity(1001).build()), r -> r.getSource().getIdentity() == 1001));
        m.put("--verdict DROPPED", Map.entry(List.of(f().addVerdict(Verdict.DROPPED).build()), r -> r.getVerdict() == Verdict.DROPPED));
        m.put("--drop-reason-desc POLICY_DENIED", Map.entry(List.of(f().addDropReasonDesc(DropReason.POLICY_DENIED).build()),
                r -> r.getDropReason() == DropReason.POLICY_DENIED));
        m.put("--type l7", Map.entry(List.of(f().addEventType(EventTypeFilter.newBuilder().setType(129)).build()), r -> r.getType() == FlowType.L7));
        m.put("--type drop", Map.entry(List.of(f().addEventType(EventTypeFilter.newBuilder().setType(1)).build()),
                r -> r.getType() != FlowType.L7 && r.getVerdict() == Verdict.DROPPED));
        m.put("--protocol udp", Map.entry(List.of(f().addProtocol("udp").build()), r -> r.getProtocol() == L4Protocol.UDP));
        m.put("--port 5432", Map.entry(List.of(f().addSourcePort("5432").build(), f().addDestinationPort("5432").build()),
                r -> r.getDestinationPort() == 5432 || r.getSourcePort() == 5432));
        m.put("--to-port 53", Map.entry(List.of(f().addDestinationPort("53").build()), r -> r.getDestinationPort() == 53));
        m.put("--from-port 30011", Map.entry(List.of(f().addSourcePort("30011").build()), r -> r.getSourcePort() == 30011));
        m.put("--http-status 4+", Map.entry(List.of(f().addHttpStatusCode("4+").build()), r -> r.getL7().getHttp().getCode() == 404));
        m.put("--http-method POST", Map.entry(List.of(f().addHttpMethod("POST").build()), r -> r.getL7().getHttp().getMethod().equals("POST")));
        m.put("--http-path ^/api/v1/", Map.entry(List.of(f().addHttpPath("^/api/v1/").build()), r -> r.getL7().getHttp().getUrl().contains("/api/v1/")));
        m.put("--dns-query cluster\\.local", Map.entry(List.of(f().addDnsQuery("cluster\\.local").build()), r -> r.getL7().hasDns()));
        m.put("--node-name node-b", Map.entry(List.of(f().addNodeName("node-b").build()), r -> r.getNodeName().endsWith("/node-b")));
        m.put("--traffic-direction ingress", Map.entry(List.of(f().addTrafficDirection(TrafficDirection.INGRESS).build()),
                r -> r.getTrafficDirection() == TrafficDirection.INGRESS));
        m.put("--is-reply", Map.entry(List.of(f().addReply(true).build()), r -> r.getIsReply()));
        m.put("--tcp-flags SYN", Map.entry(List.of(f().addTcpFlags(TCPFlags.newBuilder().setSYN(true)).build()),
                r -> r.getProtocol() == L4Protocol.TCP && (r.getTcpFlags() & TcpFlag.TCP_SYN_VALUE) != 0));
        m.put("--from-pod shop/ --verdict DROPPED", Map.entry(List.of(f().addSourcePod("shop/").addVerdict(Verdict.DROPPED).build()),
                r -> ns(r.getSource(), "shop") && r.getVerdict() == Verdict.DROPPED));
        return m;
    }

    @Test
    void eachFilterFlagAnswersExactlyTheFlowsItMeansOldestFirst() {
        assertThat(uuids(session().build())).isEqualTo(expected(r -> true));
        flags().forEach((flag, e) -> {
            List<String> want = expected(e.getValue());
            assertThat(want).as("%s selects some flows and leaves some", flag).isNotEmpty().hasSizeLessThan(COUNT);
            assertThat(uuids(session().addAllWhitelist(e.getKey()).build())).as(flag).isEqualTo(want);
        });
    }

    @Test
    void notPutsTheNextFilterInTheBlacklist() {
        flags().forEach((flag, e) -> assertThat(uuids(session().addAllBlacklist(e.getKey()).build())).as("--not " + flag)
                .isEqualTo(expected(e.getValue().negate())));
        // hubble observe --namespace shop --not --verdict DROPPED
        assertThat(uuids(session().addWhitelist(f().addSourcePod("shop/")).addWhitelist(f().addDestinationPod("shop/"))
                .addBlacklist(f().addVerdict(Verdict.DROPPED)).build()))
                .isEqualTo(expected(r -> (ns(r.getSource(), "shop") || ns(r.getDestination(), "shop")) && r.getVerdict() != Verdict.DROPPED));
    }

    @Test
    void lastAndFirstNAreTheNewestAndOldestOfTheRangeOldestFirst() {
        List<String> dropped = expected(r -> r.getVerdict() == Verdict.DROPPED);
        FlowFilter drops = f().addVerdict(Verdict.DROPPED).build();
        assertThat(uuids(session().setNumber(10).addWhitelist(drops).build())).isEqualTo(dropped.subList(dropped.size() - 10, dropped.size()));
        assertThat(uuids(session().setNumber(10).setFirst(true).addWhitelist(drops).build())).isEqualTo(dropped.subList(0, 10));
        // hubble observe --last 20 without a range: the newest 20 of everything held (the follow test's flows too).
        List<String> all = published.stream().map(FlowRecord::getUuid).toList();
        assertThat(uuids(GetFlowsRequest.newBuilder().setNumber(20).build())).isEqualTo(all.subList(all.size() - 20, all.size()));
        // A range in the middle: --since t0+100s --until t0+149s --first 5.
        assertThat(uuids(GetFlowsRequest.newBuilder().setSince(ts(t0.plusSeconds(100))).setUntil(ts(t0.plusSeconds(149).plusMillis(999)))
                .setNumber(5).setFirst(true).build())).containsExactly("flow-100", "flow-101", "flow-102", "flow-103", "flow-104");
    }

    @Test
    void followSendsTheLastNThenTheLiveAppendWithNoGapAndNoDuplicate() throws Exception {
        FlowFilter shop = f().addSourcePod("shop/").build();
        List<String> history = expected(r -> ns(r.getSource(), "shop"));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            call.run(() -> ObserverGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth()))
                    .getFlows(GetFlowsRequest.newBuilder().setNumber(5).setFollow(true).addWhitelist(shop).build(), new StreamObserver<>() {
                        @Override
                        public void onNext(GetFlowsResponse r) {
                            got.add(r.getFlow().getUuid());
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    }));
            List<String> first = take(got, 5);
            assertThat(first).isEqualTo(history.subList(history.size() - 5, history.size()));
            List<FlowRecord> live = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = COUNT; i < COUNT + 12; i++) {
                live.add(flow(i, now.plusMillis(i - COUNT)));
            }
            publish(live);
            List<String> wantLive = live.stream().filter(r -> ns(r.getSource(), "shop")).map(FlowRecord::getUuid).toList();
            assertThat(take(got, wantLive.size())).isEqualTo(wantLive);
            assertThat(got.poll(1, TimeUnit.SECONDS)).as("nothing more than was appended").isNull();
        } finally {
            call.cancel(null);
        }
    }

    private static Metadata auth() {
        Metadata m = new Metadata();
        m.put(BearerTokens.AUTHORIZATION, "Bearer " + TOKEN);
        return m;
    }

    private static List<String> take(BlockingQueue<String> queue, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            String next = queue.poll(30, TimeUnit.SECONDS);
            assertThat(next).as("flow %d of %d within 30 s", out.size() + 1, n).isNotNull();
            out.add(next);
        }
        return out;
    }

    /** A flow with what only Hubble's Flow carries, and a field from a newer Hubble our protos do not declare. */
    private static Flow hubbleFlow(int i, Instant time, int eventType, int subType) {
        return Flow.newBuilder()
                .setTime(ts(time)).setUuid("hubble-" + i).setNodeName("cluster-a/node-c").setVerdict(Verdict.FORWARDED)
                .setEventType(CiliumEventType.newBuilder().setType(eventType).setSubType(subType))
                .setIP(IP.newBuilder().setSource("10.0.9.1").setDestination("10.0.9.2"))
                .setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(50_000 + i).setDestinationPort(8080)))
                .setSource(Endpoint.newBuilder().setNamespace("fidelity").setPodName("client-" + i).setIdentity(3001))
                .setDestination(Endpoint.newBuilder().setNamespace("fidelity").setPodName("server-0").setIdentity(3002))
                .setInterface(NetworkInterface.newBuilder().setIndex(40 + i).setName("lxc" + i))
                .addIngressAllowedBy(Policy.newBuilder().setName("allow-clients").setNamespace("fidelity").setKind("CiliumNetworkPolicy"))
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(9_999, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("from a newer hubble " + i)).build()).build())
                .build();
    }

    /** Ten minutes before the other flows: outside the sessions' range and below every "newest N". */
    private static Instant hubbleAt() {
        return t0.minus(Duration.ofMinutes(10));
    }

    /** Published first, so that the topic's time index stays in order: as the ingest publishes them. */
    private static void publishThroughTheIngestsRecords() throws Exception {
        Instant at = hubbleAt();
        // Cilium monitor types: 5 policy verdict; 4 trace, with its observation point as subtype: 3 "to-stack", 0 "to-endpoint".
        hubble.addAll(List.of(hubbleFlow(0, at, 5, 0), hubbleFlow(1, at.plusSeconds(1), 4, 3), hubbleFlow(2, at.plusSeconds(2), 4, 0)));
        List<FlowRecord> records = new ArrayList<>();
        for (Flow f : hubble) {
            // As the ingest gets it: parsed from the wire, the newer Hubble's field kept as an unknown field.
            records.add(FlowRecords.fromHubble(Flow.parseFrom(f.toByteArray()), "agent-node"));
        }
        publish(records);
    }

    @Test
    void aFlowPublishedThroughTheIngestsRecordsComesBackAsHubbleSentItAndItsEventSubtypeFilters() {
        Instant at = hubbleAt();
        GetFlowsRequest.Builder window = GetFlowsRequest.newBuilder().setSince(ts(at.minusSeconds(1))).setUntil(ts(at.plusSeconds(3)));
        List<Flow> all = flows(window.build());
        assertThat(all).isEqualTo(hubble);
        assertThat(all.get(0).toByteString()).isEqualTo(hubble.get(0).toByteString());
        // hubble observe -t policy-verdict; -t trace:to-stack (type and subtype).
        assertThat(flows(window.clone().addWhitelist(f().addEventType(EventTypeFilter.newBuilder().setType(5))).build()))
                .isEqualTo(List.of(hubble.get(0)));
        assertThat(flows(window.clone().addWhitelist(f().addEventType(EventTypeFilter.newBuilder().setType(4).setMatchSubType(true).setSubType(3))).build()))
                .isEqualTo(List.of(hubble.get(1)));
    }

    @Test
    void theRestFlowSearchTakesHubbleObservesTypeWithSubtypeForTheSameFlows() throws Exception {
        Instant at = hubbleAt();
        String window = "since=" + enc(at.minusSeconds(1).toString()) + "&until=" + enc(at.plusSeconds(3).toString()) + "&format=hubble";
        // Newest first, as the REST search answers: hubble-2 (trace to-endpoint), hubble-1 (trace to-stack), hubble-0 (policy verdict).
        assertThat(restUuids(window + "&type=trace")).containsExactly("hubble-2", "hubble-1");
        assertThat(restUuids(window + "&type=trace:to-stack")).containsExactly("hubble-1");
        assertThat(restUuids(window + "&type=trace:to-endpoint")).containsExactly("hubble-2");
        assertThat(restUuids(window + "&type=policy-verdict,trace:3")).containsExactly("hubble-1", "hubble-0");
        assertThat(restUuids(window + "&not&type=trace:to-endpoint")).containsExactly("hubble-1", "hubble-0");
        HttpResponse<String> bad = rest(window + "&type=trace:to-nowhere");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode error = new ObjectMapper().readTree(bad.body());
        assertThat(error.path("parameter").asText()).isEqualTo("type");
        assertThat(bad.body()).contains("to-endpoint").contains("from-crypto");
    }

    private static HttpResponse<String> rest(String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + run.port() + "/api/v1/flows?" + query))
                .header("Authorization", "Bearer " + TOKEN).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> restUuids(String query) throws Exception {
        HttpResponse<String> r = rest(query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> uuids = new ArrayList<>();
        new ObjectMapper().readTree(r.body()).path("flows").forEach(f -> uuids.add(f.path("flow").path("uuid").asText()));
        return uuids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<Flow> flows(GetFlowsRequest request) {
        List<Flow> out = new ArrayList<>();
        stub.getFlows(request).forEachRemaining(r -> out.add(r.getFlow()));
        return out;
    }

    @Test
    void statusNodesAndNamespacesDescribeWhatTheTopicHolds() {
        await().atMost(Duration.ofSeconds(60)).until(() -> stub.getNodes(GetNodesRequest.getDefaultInstance()).getNodesList().stream()
                .mapToLong(Node::getNumFlows).sum() >= COUNT);
        List<Node> nodes = stub.getNodes(GetNodesRequest.getDefaultInstance()).getNodesList();
        assertThat(nodes).extracting(Node::getName).contains("cluster-a/node-a", "cluster-a/node-b");
        // Connected when the node's newest flow is recent; the history's are thirty minutes old.
        Instant recent = Instant.now().minus(CensusAnswers.CONNECTED_WITHIN).plusSeconds(5);
        for (Node n : nodes) {
            boolean fresh = published.stream().anyMatch(r -> r.getNodeName().equals(n.getName()) && r.getTimeUnixNanos() / 1_000_000L > recent.toEpochMilli());
            assertThat(n.getState()).as(n.getName()).isEqualTo(fresh ? NodeState.NODE_CONNECTED : NodeState.NODE_UNAVAILABLE);
        }
        // The topic's size is checked every second, the nodes' tallies as each flow is read: wait for both.
        await().atMost(Duration.ofSeconds(10)).until(() -> stub.serverStatus(ServerStatusRequest.getDefaultInstance()).getNumFlows() >= COUNT);
        ServerStatusResponse status = stub.serverStatus(ServerStatusRequest.getDefaultInstance());
        assertThat(status.getNumFlows()).isGreaterThanOrEqualTo(COUNT);
        assertThat(status.getSeenFlows()).isGreaterThanOrEqualTo(status.getNumFlows());
        assertThat(status.getUptimeNs()).isPositive();
        assertThat(status.getNumConnectedNodes().getValue() + status.getNumUnavailableNodes().getValue()).isEqualTo(nodes.size());
        assertThat(stub.getNamespaces(GetNamespacesRequest.getDefaultInstance()).getNamespacesList())
                .extracting(n -> n.getNamespace()).contains("shop", "data", "payments");
    }

    @Test
    void aFieldMaskLeavesOnlyTheListedFieldsAsHubbleDoesAndFiltersStillSeeTheWholeFlow() {
        GetFlowsRequest dropped = session().addWhitelist(f().addVerdict(Verdict.DROPPED)).build();
        List<GetFlowsResponse> whole = new ArrayList<>();
        stub.getFlows(dropped).forEachRemaining(whole::add);
        List<GetFlowsResponse> masked = new ArrayList<>();
        stub.getFlows(dropped.toBuilder().setFieldMask(FieldMask.newBuilder().addPaths("time").addPaths("source.namespace")
                .addPaths("l4.TCP.destination_port")).build()).forEachRemaining(masked::add);
        assertThat(whole).hasSize(expected(r -> r.getVerdict() == Verdict.DROPPED).size()).isNotEmpty();
        assertThat(masked).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            Flow full = whole.get(i).getFlow();
            Flow.Builder only = Flow.newBuilder().setTime(full.getTime()).setSource(Endpoint.newBuilder().setNamespace(full.getSource().getNamespace()));
            if (full.getL4().hasTCP()) {
                only.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setDestinationPort(full.getL4().getTCP().getDestinationPort())));
            }
            assertThat(masked.get(i).getFlow()).as(full.getUuid()).isEqualTo(only.build());
            // The response's own time and node come from the whole flow, as Relay sets them.
            assertThat(masked.get(i).getTime()).isEqualTo(full.getTime());
            assertThat(masked.get(i).getNodeName()).isEqualTo(full.getNodeName()).isNotEmpty();
        }
        assertThatThrownBy(() -> stub.getFlows(session().setFieldMask(FieldMask.newBuilder().addPaths("time").addPaths("colour")).build())
                .hasNext()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("field_mask").contains("colour");
                });
    }

    @Test
    void serverStatusGivesTheFlowRateOfTheLastMinuteOfWhatTheTopicHolds() {
        // Flows newer than the history would change what the --last N tests see, so none are added here: the rate
        // must agree with the flows on the topic timed in the last minute (FlowRateTest holds the arithmetic).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            double rate = stub.serverStatus(ServerStatusRequest.getDefaultInstance()).getFlowsRate();
            long second = Instant.now().getEpochSecond();
            long inLastMinute = published.stream().map(r -> r.getTimeUnixNanos() / 1_000_000_000L)
                    .filter(s -> s < second && s >= second - 60).count();
            assertThat(rate).isEqualTo(inLastMinute / 60.0);
        });
    }

    @Test
    void badInputAUnknownMethodAndAMissingTokenAreRefusedWithTheirStatus() {
        assertThatThrownBy(() -> uuids(session().addWhitelist(f().addSourceIp("10.0.0.0/40")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("source_ip");
                });
        assertThatThrownBy(() -> uuids(session().setFirst(true).setFollow(true).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        MethodDescriptor<ServerStatusRequest, ServerStatusResponse> agentEvents = MethodDescriptor.<ServerStatusRequest, ServerStatusResponse>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("observer.Observer/GetAgentEvents")
                .setRequestMarshaller(ProtoUtils.marshaller(ServerStatusRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(ServerStatusResponse.getDefaultInstance())).build();
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, agentEvents, io.grpc.CallOptions.DEFAULT, ServerStatusRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        ObserverGrpc.ObserverBlockingStub anonymous = ObserverGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> anonymous.serverStatus(ServerStatusRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }
}
