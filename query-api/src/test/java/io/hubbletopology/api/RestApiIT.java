package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.LinkStateRecord;
import io.hubbletopology.topics.TopicNames;

/** The versioned API over known flows and link states: filters, grouping, one edge's series, inventory, OpenAPI. */
@Timeout(120)
class RestApiIT {

    private static final TopicNames TOPICS = TopicNames.prefixed("rest-it.");
    @TempDir
    static Path dir;
    private static RunningApi run;

    @BeforeAll
    static void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        run = RunningApi.start(FastCommits.onTwoPartitions("rest-it", dir.resolve("state"), TOPICS),
                new ApiSettings("127.0.0.1", 0, "both"));
        long now = System.currentTimeMillis();
        try (var producer = FlowsTopicWriter.producer(kafka)) {
            // shop/web -> shop/cart TCP/8080: 5 forwarded; shop/web -> data/db TCP/5432: 3 dropped;
            // data/db -> kube-system/dns UDP/53: 2 forwarded.
            for (int i = 0; i < 5; i++) {
                send(producer, flow("shop", "web-0", "shop", "cart-0", L4Protocol.TCP, 8080, Verdict.FORWARDED, now + i));
            }
            for (int i = 0; i < 3; i++) {
                send(producer, flow("shop", "web-0", "data", "db-0", L4Protocol.TCP, 5432, Verdict.DROPPED, now + i));
            }
            for (int i = 0; i < 2; i++) {
                send(producer, flow("data", "db-0", "kube-system", "dns-0", L4Protocol.UDP, 53, Verdict.FORWARDED, now + i));
            }
            LinkStateRecord eth0 = LinkStateRecord.newBuilder().setNodeName("n1").setInterface("eth0").setOperstate("up")
                    .setCarrier(1).setObservedUnixNanos(now * 1_000_000L).build();
            LinkStateRecord veth = eth0.toBuilder().setInterface("veth1").setOperstate("lowerlayerdown").clearCarrier().build();
            producer.send(new ProducerRecord<>(TOPICS.links(), "n1/eth0", eth0.toByteArray()));
            producer.send(new ProducerRecord<>(TOPICS.links(), "n1/veth1", veth.toByteArray()));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            JsonNode t = get("/api/v1/topology?last=1h");
            return t.path("links").size() == 3 && get("/api/v1/links").path("links").size() == 2
                    && get("/api/v1/workloads").path("workloads").size() >= 4;
        });
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    private static FlowRecord flow(String srcNs, String srcPod, String dstNs, String dstPod, L4Protocol protocol, int port,
                                   Verdict verdict, long timeMs) {
        FlowRecord.Builder f = FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setVerdict(verdict)
                .setSource(EndpointRef.newBuilder().setNamespace(srcNs).setPod(srcPod).addLabels("k8s:app=" + srcPod))
                .setDestination(EndpointRef.newBuilder().setNamespace(dstNs).setPod(dstPod))
                .setProtocol(protocol).setDestinationPort(port).setNodeName("n1");
        if (verdict == Verdict.DROPPED) {
            f.setDropReason(DropReason.POLICY_DENIED);
        }
        return f.build();
    }

    private static void send(KafkaProducer<String, byte[]> producer, FlowRecord f) {
        producer.send(FlowsTopicWriter.record(TOPICS.flows(), f));
    }

    /** Every answer this test reads is one openapi.json describes, body and all. */
    static JsonNode get(String pathAndQuery) throws Exception {
        return run.getDocumentedJson(pathAndQuery);
    }

    private static List<String> keys(JsonNode topology) {
        List<String> keys = new ArrayList<>();
        topology.path("links").forEach(l -> keys.add(l.path("key").asText()));
        return keys;
    }

    @Test
    void filtersByNamespaceVerdictProtocolAndMinimumFlows() throws Exception {
        assertThat(keys(get("/api/v1/topology?last=1h&namespace=kube-system")))
                .containsExactly("data/statefulset/db -> kube-system/statefulset/dns UDP/53");
        assertThat(keys(get("/api/v1/topology?last=1h&verdict=dropped")))
                .containsExactly("shop/statefulset/web -> data/statefulset/db TCP/5432");
        assertThat(keys(get("/api/v1/topology?last=1h&protocol=udp"))).hasSize(1);
        assertThat(keys(get("/api/v1/topology?last=1h&min_flows=4")))
                .containsExactly("shop/statefulset/web -> shop/statefulset/cart TCP/8080");
        JsonNode dropped = get("/api/v1/topology?last=1h&verdict=dropped").path("links").get(0);
        assertThat(dropped.path("state").asText()).isEqualTo("dropped");
        assertThat(dropped.path("drop_reasons").path("POLICY_DENIED").asLong()).isEqualTo(3);
        assertThat(get("/api/v1/topology?last=1h").path("partial").asBoolean()).isFalse();
    }

    @Test
    void groupsWorkloadsIntoTheirNamespaces() throws Exception {
        JsonNode grouped = get("/api/v1/topology?last=1h&group_by=namespace");
        assertThat(keys(grouped)).containsExactlyInAnyOrder("shop -> shop TCP/8080", "shop -> data TCP/5432", "data -> kube-system UDP/53");
        assertThat(get("/api/v1/topology?group_by=pods").path("parameter").asText()).isEqualTo("group_by");
        assertThat(get("/api/v1/topology?group_by=pods").path("http_status").asInt()).isEqualTo(400);
    }

    @Test
    void answersOneEdgesTimeSeries() throws Exception {
        JsonNode series = get("/api/v1/edges?last=1h&src=" + enc("shop/statefulset/web") + "&dst=" + enc("shop/statefulset/cart")
                + "&protocol=TCP&port=8080");
        long flows = 0;
        for (JsonNode w : series.path("windows")) {
            flows += w.path("flows").asLong();
            assertThat(w.has("window_start")).isTrue();
        }
        assertThat(flows).isEqualTo(5);
        assertThat(get("/api/v1/edges?src=a&dst=b").path("parameter").asText()).isEqualTo("port");
    }

    @Test
    void answersAPeerSeriesQuestionForItsOwnPartitionsInTheDescribedShape() throws Exception {
        // What another instance asks for one edge's windows (the peer protocol); get() holds it to PeerPartEdgeUpdate.
        Instant now = Instant.now();
        JsonNode part = get("/internal/v1/series?key=" + enc("shop/statefulset/web -> shop/statefulset/cart TCP/8080") + "&from="
                + enc(now.minus(Duration.ofHours(1)).toString()) + "&to=" + enc(now.plus(Duration.ofMinutes(1)).toString()));
        assertThat(part.path("http_status").asInt()).as(part.toString()).isEqualTo(200);
        assertThat(part.path("failures").size()).isZero();
        long flows = 0;
        for (JsonNode windows : part.path("partitions")) {
            for (JsonNode w : windows) {
                assertThat(w.path("key").asText()).isEqualTo("shop/statefulset/web -> shop/statefulset/cart TCP/8080");
                flows += w.path("flows").asLong();
            }
        }
        assertThat(flows).isEqualTo(5);
        assertThat(get("/internal/v1/series?key=x").path("http_status").asInt()).isEqualTo(400);
    }

    @Test
    void listsLinksWorkloadsAndNamespaces() throws Exception {
        JsonNode down = get("/api/v1/links?state=lowerlayerdown");
        assertThat(down.path("links")).hasSize(1);
        assertThat(down.path("links").get(0).path("name").asText()).isEqualTo("veth1");
        assertThat(down.path("links").get(0).path("carrier").isNull()).isTrue();
        assertThat(get("/links?node=n1").path("links")).hasSize(2);
        assertThat(get("/links?node=elsewhere").path("links")).isEmpty();

        JsonNode shop = get("/api/v1/workloads?namespace=shop");
        assertThat(shop.path("workloads").findValuesAsText("id")).contains("shop/statefulset/web", "shop/statefulset/cart");
        JsonNode namespaces = get("/api/v1/namespaces");
        assertThat(namespaces.path("namespaces").findValuesAsText("name")).contains("shop", "data", "kube-system");
    }

    @Test
    void servesItsOpenApiDescription() throws Exception {
        JsonNode doc = get("/api/v1/openapi.json");
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("paths").has("/api/v1/topology")).isTrue();
        assertThat(doc.path("paths").has("/api/v1/flows")).isTrue();
        assertThat(doc.path("paths").has("/topology")).isTrue();
    }

    // ---- issue 11: no input breaks a request (each of these answered 500 with a stack trace before)

    @Test
    void acceptsDuplicatesInAListFilter() throws Exception {
        JsonNode twice = get("/api/v1/topology?last=1h&verdict=dropped,dropped");
        assertThat(twice.path("http_status").asInt()).isEqualTo(200);
        assertThat(keys(twice)).isEqualTo(keys(get("/api/v1/topology?last=1h&verdict=dropped")));
        JsonNode protocols = get("/api/v1/topology?last=1h&protocol=TCP,UDP,TCP");
        assertThat(protocols.path("http_status").asInt()).isEqualTo(200);
        assertThat(keys(protocols)).hasSize(3);
        assertThat(get("/topology?last=1h&protocol=TCP,UDP,TCP").path("http_status").asInt()).isEqualTo(200);
    }

    @Test
    void refusesATimeOutOfRangeNamingTheParameter() throws Exception {
        JsonNode since = get("/api/v1/flows?since=999999999999d");
        assertThat(since.path("http_status").asInt()).isEqualTo(400);
        assertThat(since.path("error").asText()).isEqualTo("bad_parameter");
        assertThat(since.path("parameter").asText()).isEqualTo("since");
        assertThat(get("/api/v1/topology?last=999999999999d").path("parameter").asText()).isEqualTo("last");
        assertThat(get("/api/v1/topology?from=" + enc("+10000-01-01T00:00:00Z")).path("parameter").asText()).isEqualTo("from");
        // The grammar of the settings holds for parameters too.
        assertThat(get("/api/v1/topology?last=90000ms").path("http_status").asInt()).isEqualTo(200);
    }

    @Test
    void refusesAnUnknownParameterNamingIt() throws Exception {
        JsonNode typo = get("/api/v1/topology?last=1h&verdcit=dropped");
        assertThat(typo.path("http_status").asInt()).isEqualTo(400);
        assertThat(typo.path("error").asText()).isEqualTo("bad_parameter");
        assertThat(typo.path("parameter").asText()).isEqualTo("verdcit");
        assertThat(typo.path("message").asText()).contains("verdcit").contains("verdict");
        // Routed by template, not by the path as written: a trailing slash is the same route.
        assertThat(get("/api/v1/links/?colour=blue").path("parameter").asText()).isEqualTo("colour");
        assertThat(get("/api/v1/namespaces?token=anything").path("http_status").asInt()).isEqualTo(200);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
