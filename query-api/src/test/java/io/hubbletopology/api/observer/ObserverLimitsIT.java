package io.hubbletopology.api.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.ErrorLogCapture;
import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.api.access.AcceptedTokens;
import io.hubbletopology.api.flows.FlowQueryBounds;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.hubble.observer.ObserverGrpc;
import io.hubbletopology.hubble.observer.ServerStatusRequest;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.testing.RandomMessages;
import io.hubbletopology.topics.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The Observer API at its edges: a call reading more than {@code api.flows.max_scanned} records or for longer than
 * {@code api.flows.max_duration}, a client that reads slowly or not at all, more calls than there are readers, TLS
 * and mutual TLS, and requests made at random from the proto. Each answer is either the flows asked for or a status
 * that says what bound was reached; never a server error, never a flow lost or sent twice.
 */
@Timeout(300)
class ObserverLimitsIT {

    private static final TopicNames TOPICS = TopicNames.prefixed("observer-limits-it.");
    private static final int COUNT = 2_000;
    private static final Duration STALL = Duration.ofSeconds(3);
    @TempDir
    static Path dir;
    private static RunningApi run;
    private static KafkaProducer<String, byte[]> producer;
    private static Instant t0;
    private static final List<String> sent = new ArrayList<>();
    /** The Observer as the processor role serves it (the API's bounds and /metrics), with a short stall timeout. */
    private static ObserverServer open;
    private static ManagedChannel openChannel;
    private static final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        ApiSettings settings = new ApiSettings("127.0.0.1", 0, "hubble");
        run = RunningApi.start(FastCommits.config(kafka, "observer-limits-it", dir.resolve("state"), TOPICS,
                Map.of("processor.window.retention", "2d", "kafka.partitions", "3")), settings);
        open = run.startObserver(ObserverSettings.DEFAULT.withPort(0).withStallTimeout(STALL));
        producer = FlowsTopicWriter.producer(kafka);
        t0 = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<FlowRecord> flows = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            flows.add(FlowRecord.newBuilder().setTimeUnixNanos(t0.plusMillis(50L * i).toEpochMilli() * 1_000_000L)
                    .setUuid("limits-" + i).setVerdict(Verdict.FORWARDED).setNodeName("cluster-a/node-" + (i % 2))
                    .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod("web-" + (i % 5)).setIp("10.0.0." + (i % 5 + 1)))
                    .setDestination(EndpointRef.newBuilder().setNamespace("data").setPod("db-" + (i % 3)).setIp("10.0.1." + (i % 3 + 1)))
                    .setProtocol(L4Protocol.TCP).setSourcePort(30_000 + i).setDestinationPort(5432).build());
            sent.add("limits-" + i);
        }
        FlowsTopicWriter.sendAll(producer, TOPICS.flows(), flows);
        openChannel = NettyChannelBuilder.forAddress("127.0.0.1", open.port()).usePlaintext()
                // A small window and no automatic growth, so that flow control holds a slow reader back after a few
                // hundred flows instead of after the whole range.
                .flowControlWindow(64 * 1024).build();
        await().atMost(Duration.ofSeconds(60)).until(() -> all(stub(openChannel)).size() == COUNT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (openChannel != null) {
            openChannel.shutdownNow();
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (run != null) {
            run.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    /** Another Observer over the same history, with bounds of its own (and figures of its own, off /metrics). */
    private static ObserverServer observer(ObserverSettings observerSettings, FlowQueryBounds bounds) {
        ObserverServer o = new ObserverServer(observerSettings, "127.0.0.1", run.processor().queryService().flowHistory(),
                run.api().flowSearch(), bounds, new AcceptedTokens(List.of(), null), new SimpleMeterRegistry(), Clock.systemUTC());
        o.start();
        closing.add(o);
        return o;
    }

    private static ObserverGrpc.ObserverBlockingStub stub(ManagedChannel channel) {
        return ObserverGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static GetFlowsRequest.Builder whole() {
        return GetFlowsRequest.newBuilder().setSince(ts(t0.minusSeconds(1))).setUntil(ts(t0.plus(Duration.ofHours(1))));
    }

    private static List<String> all(ObserverGrpc.ObserverBlockingStub stub) {
        List<String> out = new ArrayList<>();
        stub.getFlows(whole().build()).forEachRemaining(r -> out.add(r.getFlow().getUuid()));
        return out;
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** The flows a call sent before it ended, and how it ended. */
    private record Ended(List<String> flows, StatusRuntimeException status) {
    }

    private static Ended read(Iterator<GetFlowsResponse> responses) {
        List<String> got = new ArrayList<>();
        try {
            responses.forEachRemaining(r -> got.add(r.getFlow().getUuid()));
            return new Ended(got, null);
        } catch (StatusRuntimeException e) {
            return new Ended(got, e);
        }
    }

    /** One sample of the API's /metrics, by series as the scrape prints it (name and labels). */
    private static double metric(String series) throws Exception {
        String body = run.send("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        assertThat(m.find()).as("%s in /metrics", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * The whole range, then the newest 20, from an Observer with these bounds: the first cut by {@code key} after
     * the oldest flows in order, the second (found from the topic's end) never cut by the range's size.
     */
    private static List<String> cutBy(FlowQueryBounds bounds, String key) {
        ObserverServer bounded = observer(ObserverSettings.DEFAULT.withPort(0), bounds);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", bounded.port()).usePlaintext().build();
        try {
            Ended e = read(stub(channel).getFlows(whole().build()));
            assertThat(e.status()).isNotNull();
            assertThat(e.status().getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.status().getStatus().getDescription()).contains(key).contains("ask again from there");
            assertThat(e.flows()).hasSizeLessThan(COUNT).isEqualTo(sent.subList(0, e.flows().size()));
            Ended last = read(stub(channel).getFlows(whole().setNumber(20).build()));
            assertThat(last.status()).isNull();
            assertThat(last.flows()).isEqualTo(sent.subList(COUNT - 20, COUNT));
            return e.flows();
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aRangeBeyondMaxScannedEndsResourceExhaustedNamingTheKeyAfterTheOldestFlowsInOrder() {
        List<String> got = cutBy(new FlowQueryBounds(300, Duration.ofSeconds(10), Duration.ofSeconds(2)), "api.flows.max_scanned");
        // Records looked at, not fetched: a poll brings up to 500, and all 300 looked at were flows of the range.
        assertThat(got).hasSize(300);
    }

    @Test
    void aCallBeyondMaxDurationEndsResourceExhaustedNamingTheKey() {
        cutBy(new FlowQueryBounds(1_000_000, Duration.ofNanos(1), Duration.ofSeconds(2)), "api.flows.max_duration");
    }

    /** A call whose client takes {@code initial} responses and then, until {@link #take}, no more. */
    private static final class SlowReader implements ClientResponseObserver<GetFlowsRequest, GetFlowsResponse> {
        final List<String> got = new CopyOnWriteArrayList<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        private final int initial;
        private volatile ClientCallStreamObserver<GetFlowsRequest> call;

        SlowReader(int initial) {
            this.initial = initial;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<GetFlowsRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(initial);
        }

        void take(int more) {
            call.request(more);
        }

        void cancel() {
            call.cancel("test done", null);
        }

        @Override
        public void onNext(GetFlowsResponse value) {
            got.add(value.getFlow().getUuid());
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }
    }

    private static SlowReader slowly(GetFlowsRequest request, int initial) {
        SlowReader reader = new SlowReader(initial);
        ObserverGrpc.newStub(openChannel).getFlows(request, reader);
        return reader;
    }

    @Test
    void aSlowClientIsHeldBackByFlowControlThenGetsEveryFlowAndOneThatStopsReadingIsCutAfterTheStallTimeout() throws Exception {
        double stalledBefore = metric("hubble_topology_observer_getflows_ended_total{outcome=\"stalled\"}");
        double sentBefore = metric("hubble_topology_observer_flows_sent_total");
        SlowReader slow = slowly(whole().build(), 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("hubble_topology_observer_getflows_waiting_for_client") == 1.0);
        double held = metric("hubble_topology_observer_flows_sent_total") - sentBefore;
        Thread.sleep(500);
        // Held back, not buffered: the server sent what the transport took, a small part of the range, and then waited.
        assertThat(metric("hubble_topology_observer_flows_sent_total") - sentBefore).isEqualTo(held).isLessThan(COUNT / 2.0);
        assertThat(slow.got).hasSize(1);
        slow.take(Integer.MAX_VALUE);
        assertThat(slow.ended.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(slow.got).isEqualTo(sent);

        SlowReader stopped = slowly(whole().build(), 1);
        await().atMost(STALL.plusSeconds(20)).until(() -> metric("hubble_topology_observer_getflows_ended_total{outcome=\"stalled\"}")
                == stalledBefore + 1);
        // Its reader is given back once the call has ended.
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("hubble_topology_observer_getflows_calls") == 0.0);
        // gRPC hands the status over after the responses already on their way, so the client reads them first.
        stopped.take(Integer.MAX_VALUE);
        Status cut = stopped.ended.get(30, TimeUnit.SECONDS);
        assertThat(cut.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(cut.getDescription()).contains("observer.stall_timeout").contains("ask again from there");
        assertThat(stopped.got).hasSizeLessThan(COUNT).isEqualTo(sent.subList(0, stopped.got.size()));
    }

    @Test
    void callsBeyondTheReadersWaitAreToldBusyAndAFreedReaderServesTheNextCall() throws Exception {
        List<SlowReader> following = new ArrayList<>();
        for (int i = 0; i < ObserverService.MAX_CALLS; i++) {
            // hubble observe --follow with nothing new: each holds its reader, live, until the client leaves.
            following.add(slowly(GetFlowsRequest.newBuilder().setFollow(true).build(), Integer.MAX_VALUE));
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("hubble_topology_observer_getflows_calls") == ObserverService.MAX_CALLS);
            long began = System.nanoTime();
            Ended busy = read(stub(openChannel).getFlows(whole().setNumber(10).build()));
            assertThat(busy.status()).isNotNull();
            assertThat(busy.status().getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(busy.status().getStatus().getDescription()).contains("readers are busy");
            // It waited api.flows.pool_wait (2 s by default) for a reader first.
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
            assertThat(metric("hubble_topology_observer_getflows_ended_total{outcome=\"busy\"}")).isGreaterThanOrEqualTo(1.0);

            following.remove(0).cancel();
            Ended served = read(stub(openChannel).getFlows(whole().setNumber(10).build()));
            assertThat(served.status()).isNull();
            assertThat(served.flows()).isEqualTo(sent.subList(COUNT - 10, COUNT));
        } finally {
            following.forEach(SlowReader::cancel);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("hubble_topology_observer_getflows_calls") == 0.0);
    }

    /** A self-signed key pair in a PKCS12 keystore, and its certificate as PEM. */
    private record Identity(Path keystore, Path certificate) {
        static Identity make(String name) throws Exception {
            Path store = dir.resolve(name + ".p12");
            Path pem = dir.resolve(name + ".crt");
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit");
            keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", "changeit",
                    "-file", pem.toString());
            return new Identity(store, pem);
        }

        KeyManagerFactory keys() throws Exception {
            KeyStore ks = KeyStore.getInstance(keystore.toFile(), "changeit".toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            return kmf;
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    private static ManagedChannel tls(int port, Identity server, Identity client) throws Exception {
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(server.certificate().toFile());
        if (client != null) {
            ssl.keyManager(client.keys());
        }
        return NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build()).build();
    }

    private static void refused(ManagedChannel channel) {
        try {
            assertThatThrownBy(() -> stub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).serverStatus(ServerStatusRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL));
        } finally {
            channel.shutdownNow();
        }
    }

    private static void answers(ManagedChannel channel) {
        try {
            // A new server's census counts the topic within a second of starting.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    stub(channel).serverStatus(ServerStatusRequest.getDefaultInstance()).getNumFlows()).isGreaterThanOrEqualTo(COUNT));
            assertThat(read(stub(channel).getFlows(whole().setNumber(5).build())).flows()).isEqualTo(sent.subList(COUNT - 5, COUNT));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void servesTlsFromAKeystoreAndWithAClientCaOnlyClientsWithACertificateItSigned() throws Exception {
        Identity server = Identity.make("observer");
        Identity client = Identity.make("client");
        Identity stranger = Identity.make("stranger");
        ObserverServer tls = observer(ObserverSettings.DEFAULT.withPort(0).withTls(server.keystore(), "changeit", null),
                FlowQueryBounds.DEFAULT);
        answers(tls(tls.port(), server, null));
        refused(NettyChannelBuilder.forAddress("127.0.0.1", tls.port()).usePlaintext().build());

        ObserverServer mutual = observer(ObserverSettings.DEFAULT.withPort(0).withTls(server.keystore(), "changeit", client.certificate()),
                FlowQueryBounds.DEFAULT);
        answers(tls(mutual.port(), server, client));
        refused(tls(mutual.port(), server, null));
        refused(tls(mutual.port(), server, stranger));
    }

    @Test
    void requestsMadeAtRandomFromTheProtoGetFlowsOrAStatusSayingWhyAndNeverAServerError() throws Exception {
        // Words each filter field understands, so that requests get past the first check into the code behind it.
        List<String> words = List.of("shop/", "shop/web-1", "data/db", "/", "10.0.0.1", "10.0.1.0/24", "::1", "fe80::/10",
                "5432", "30011", "0", "65536", "4+", "404", "GET", "POST", "^/api", "(", "app=web", "k8s:app=web",
                "reserved:world", "!app", "*.example.com", "node-1", "cluster-a/node-0", "tcp", "udp", "SYN", "ingress",
                "uuid", "source.pod_name", "l4", "flow", "time");
        Set<Status.Code> refusals = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);
        AtomicReference<String> firstBad = new AtomicReference<>();
        Map<Status.Code, Integer> outcomes = new java.util.TreeMap<>();
        int withFlows = 0;
        try (ErrorLogCapture errors = new ErrorLogCapture()) {
            for (int seed = 0; seed < 200; seed++) {
                Random random = new Random(seed);
                GetFlowsRequest.Builder b = (GetFlowsRequest.Builder) RandomMessages.sparse(random, words).fill(GetFlowsRequest.newBuilder());
                if (random.nextInt(10) == 0) {
                    // Timestamps a hand-written client can send and the CLI never would.
                    b.setSince(Timestamp.newBuilder().setSeconds(random.nextBoolean() ? Long.MAX_VALUE : -1L << 40).setNanos(-1));
                }
                GetFlowsRequest request = b.build();
                Ended e = read(ObserverGrpc.newBlockingStub(openChannel)
                        .withDeadlineAfter(request.getFollow() ? 1 : 30, TimeUnit.SECONDS).getFlows(request));
                Status.Code code = e.status() == null ? Status.Code.OK : e.status().getStatus().getCode();
                outcomes.merge(code, 1, Integer::sum);
                withFlows += e.flows().isEmpty() ? 0 : 1;
                boolean fine = code == Status.Code.OK || refusals.contains(code)
                        || code == Status.Code.DEADLINE_EXCEEDED && request.getFollow();
                if (!fine && firstBad.get() == null) {
                    firstBad.set("seed " + seed + ": " + code + " " + e.status().getStatus().getDescription() + " for " + request);
                }
                if (code == Status.Code.INVALID_ARGUMENT) {
                    assertThat(e.status().getStatus().getDescription()).as("seed %d names what is wrong", seed).isNotBlank();
                }
                assertThat(e.flows()).as("seed %d: every flow sent at most once", seed).doesNotHaveDuplicates();
            }
            assertThat(firstBad.get()).as("a request answered with a server error").isNull();
            // Not all refused at the door: enough of them matched flows and were served, or cut by a bound.
            assertThat(withFlows).as("requests that got flows; outcomes %s", outcomes).isGreaterThanOrEqualTo(20);
            assertThat(outcomes.get(Status.Code.INVALID_ARGUMENT)).as("outcomes %s", outcomes).isGreaterThanOrEqualTo(20);
            assertThat(errors.errors()).as("ERROR lines while fuzzing").isEmpty();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("hubble_topology_observer_getflows_calls") == 0.0);
        assertThat(read(stub(openChannel).getFlows(whole().setNumber(10).build())).flows()).isEqualTo(sent.subList(COUNT - 10, COUNT));
    }
}
