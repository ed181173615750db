package io.hubbletopology.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.api.FlowsTopicWriter;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.ingest.replay.ReplaySource;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.graph.EndpointNames;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/**
 * The suggested policies against the flows they came from: a simulated cluster's flows and a replayed
 * {@code hubble observe -o json} capture with DNS lookups go through the processor; every policy the API suggests
 * must pass the CRD's schema strictly, let every forwarded flow through at both ends, and keep every flow denied
 * by policy on an edge that never got through denied.
 */
@Timeout(180)
class PolicySuggestionIT {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final TopicNames TOPICS = TopicNames.prefixed("policy-it.");
    private static final long SEED = 7;
    private static final int SYNTHETIC_FLOWS = 3_000;
    @TempDir
    static Path dir;
    private static RunningApi run;
    private static final List<FlowRecord> SYNTHETIC = new ArrayList<>();
    private static final List<FlowRecord> CAPTURE = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        run = RunningApi.start(FastCommits.onTwoPartitions("policy-it", dir.resolve("state"), TOPICS),
                new ApiSettings("127.0.0.1", 0, "both"));
        long now = System.currentTimeMillis();
        SyntheticCluster cluster = new SyntheticCluster(SEED);
        for (int i = 0; i < SYNTHETIC_FLOWS; i++) {
            SYNTHETIC.add(FlowRecords.fromHubble(cluster.next((now - SYNTHETIC_FLOWS + i) * 1_000_000L), "sim-node"));
        }
        List<FlowRecord> replayed = new ArrayList<>();
        try (InputStream capture = PolicySuggestionIT.class.getResourceAsStream("/policy/star-wars-observe.json")) {
            new ReplaySource("star-wars-observe.json", capture, List.of(), List.of(), "capture-node", replayed::add, lost -> { },
                    IngestMetrics.inMemory()).run();
        }
        // The capture's own times are long past the processor's retention: moved to now, in their order.
        long shift = now * 1_000_000L - replayed.get(replayed.size() - 1).getTimeUnixNanos();
        replayed.forEach(f -> CAPTURE.add(f.toBuilder().setTimeUnixNanos(f.getTimeUnixNanos() + shift).build()));
        assertThat(CAPTURE).hasSize(32);
        try (var producer = FlowsTopicWriter.producer(kafka)) {
            for (FlowRecord f : concat()) {
                producer.send(FlowsTopicWriter.record(TOPICS.flows(), f));
            }
        }
        long expected = concat().stream().filter(f -> !EdgeKey.isReply(f)).count();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode t = new ObjectMapper().readTree(get("/api/v1/topology?last=1h").body());
            long flows = 0;
            for (JsonNode l : t.path("links")) {
                flows += l.path("flows").asLong();
            }
            return flows == expected && new ObjectMapper().readTree(get("/api/v1/workloads").body()).path("workloads").size() >= 12;
        });
    }

    @AfterAll
    static void stop() {
        run.close();
    }

    private static List<FlowRecord> concat() {
        List<FlowRecord> all = new ArrayList<>(SYNTHETIC);
        all.addAll(CAPTURE);
        return all;
    }

    /** A GET whose answer is held to what openapi.json says the route answers (its JSON to the schema). */
    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return run.getDocumented(pathAndQuery);
    }

    private static Set<String> namespaces(List<FlowRecord> flows) {
        Set<String> namespaces = new TreeSet<>();
        for (FlowRecord f : flows) {
            for (String ns : List.of(f.getSource().getNamespace(), f.getDestination().getNamespace())) {
                if (!ns.isEmpty()) {
                    namespaces.add(ns);
                }
            }
        }
        return namespaces;
    }

    /** Every policy the API suggests for the namespaces of these flows, parsed from its YAML. */
    private static List<JsonNode> policies(List<FlowRecord> flows) throws Exception {
        return policies(flows, false);
    }

    private static List<JsonNode> policies(List<FlowRecord> flows, boolean l7) throws Exception {
        List<JsonNode> policies = new ArrayList<>();
        for (String ns : namespaces(flows)) {
            HttpResponse<String> r = get("/api/v1/policies?last=1h&namespace=" + ns + (l7 ? "&l7=true" : ""));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
            policies.addAll(documents(r.body()));
        }
        return policies;
    }

    static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static boolean policyDenied(FlowRecord f) {
        return f.getVerdict() == Verdict.DROPPED
                && (f.getDropReason() == DropReason.POLICY_DENIED || f.getDropReason() == DropReason.POLICY_DENY);
    }

    private static String edge(FlowRecord f) {
        return EndpointNames.of(f.getSource()).id() + " -> " + EndpointNames.of(f.getDestination()).id() + " "
                + f.getProtocol().name() + "/" + f.getDestinationPort();
    }

    private static void checkAgainstFlows(List<FlowRecord> flows) throws Exception {
        checkAgainstFlows(flows, false);
    }

    private static boolean httpRequest(FlowRecord f) {
        return f.getL7().hasHttp() && f.getL7().getType() != L7FlowType.RESPONSE && f.getL7().getHttp().getCode() == 0;
    }

    private static void checkAgainstFlows(List<FlowRecord> flows, boolean l7) throws Exception {
        List<JsonNode> policies = policies(flows, l7);
        assertThat(policies).isNotEmpty();
        CrdSchema schema = CrdSchema.ciliumNetworkPolicy();
        for (JsonNode policy : policies) {
            assertThat(schema.violations(policy)).as(policy.path("metadata").path("name").asText()).isEmpty();
        }
        PolicyEvaluator evaluator = new PolicyEvaluator(policies);
        Set<String> forwardedEdges = new TreeSet<>();
        for (FlowRecord f : flows) {
            if (!EdgeKey.isReply(f) && f.getVerdict() == Verdict.FORWARDED) {
                forwardedEdges.add(edge(f));
                assertThat(evaluator.egressAllows(f)).as("egress of " + edge(f)).isTrue();
                assertThat(evaluator.ingressAllows(f)).as("ingress of " + edge(f)).isTrue();
            }
        }
        int deniedChecked = 0;
        for (FlowRecord f : flows) {
            if (policyDenied(f) && !forwardedEdges.contains(edge(f))) {
                assertThat(evaluator.allows(f)).as("policy-denied " + edge(f) + " stays denied").isFalse();
                deniedChecked++;
            }
        }
        assertThat(deniedChecked).isPositive();
    }

    @Test
    void withL7EveryForwardedHttpRequestOfTheSimulatedClusterPassesTheHttpRulesAndAnUnseenRouteDoesNot() throws Exception {
        checkAgainstFlows(SYNTHETIC, true);
        List<JsonNode> policies = policies(SYNTHETIC, true);
        assertThat(policies.stream().flatMap(p -> p.findValues("http").stream())).as("HTTP rules written").isNotEmpty();
        PolicyEvaluator evaluator = new PolicyEvaluator(policies);
        List<FlowRecord> requests = SYNTHETIC.stream()
                .filter(f -> !EdgeKey.isReply(f) && f.getVerdict() == Verdict.FORWARDED && httpRequest(f)).toList();
        assertThat(requests).isNotEmpty();
        for (FlowRecord f : requests) {
            assertThat(evaluator.allows(f)).as("HTTP " + f.getL7().getHttp().getMethod() + " " + f.getL7().getHttp().getUrl() + " on "
                    + edge(f)).isTrue();
            // Any query string after a seen path passes too; the figures keep the path without it.
            FlowRecord withQuery = f.toBuilder().setL7(f.getL7().toBuilder().setHttp(f.getL7().getHttp().toBuilder()
                    .setUrl(f.getL7().getHttp().getUrl() + "?page=2"))).build();
            assertThat(evaluator.allows(withQuery)).as("with a query: " + edge(f)).isTrue();
        }
        FlowRecord seen = requests.stream().filter(f -> edge(f).contains("shop/deployment/cart")).findFirst().orElseThrow();
        for (String[] unseen : List.of(new String[] {"DELETE", "/api/v1/items"}, new String[] {"GET", "/admin"},
                new String[] {"GET", "/api/v1/items/x"}, new String[] {"GET", "/api/v1xitems"})) {
            FlowRecord f = seen.toBuilder().setL7(seen.getL7().toBuilder().setHttp(seen.getL7().getHttp().toBuilder()
                    .setMethod(unseen[0]).setUrl(unseen[1]))).build();
            assertThat(evaluator.ingressAllows(f)).as(unseen[0] + " " + unseen[1] + " on " + edge(f)).isFalse();
        }
    }

    @Test
    void everyForwardedFlowOfTheSimulatedClusterIsAllowedAndItsPolicyDropsStayDenied() throws Exception {
        checkAgainstFlows(SYNTHETIC);
    }

    @Test
    void everyForwardedFlowOfTheReplayedCaptureIsAllowedAndItsPolicyDropsStayDenied() throws Exception {
        checkAgainstFlows(CAPTURE);
    }

    @Test
    void theReplayedCapturesHttpRequestBecomesAnL7RuleThatAdmitsItAndNothingElse() throws Exception {
        checkAgainstFlows(CAPTURE, true);
        List<JsonNode> policies = policies(CAPTURE, true);
        PolicyEvaluator evaluator = new PolicyEvaluator(policies);
        FlowRecord landing = CAPTURE.stream().filter(f -> !EdgeKey.isReply(f) && httpRequest(f)).findFirst().orElseThrow();
        assertThat(landing.getL7().getHttp().getMethod()).isEqualTo("POST");
        assertThat(evaluator.ingressAllows(landing)).as("the captured POST /v1/request-landing").isTrue();
        JsonNode deathstar = policies.stream().filter(p -> p.path("metadata").path("name").asText().contains("deathstar"))
                .findFirst().orElseThrow();
        assertThat(deathstar.findValues("http")).as(deathstar.toString()).isNotEmpty();
        FlowRecord exhaust = landing.toBuilder().setL7(landing.getL7().toBuilder().setHttp(landing.getL7().getHttp().toBuilder()
                .setMethod("PUT").setUrl("http://deathstar.default.svc.cluster.local/v1/exhaust-port"))).build();
        assertThat(evaluator.ingressAllows(exhaust)).as("a route the capture never showed").isFalse();
    }

    @Test
    void dnsNamedDestinationsBecomeToFqdnsWithTheDnsRuleOnKubeDns() throws Exception {
        String yaml = get("/api/v1/policies?last=1h&namespace=default&workload=tiefighter").body();
        List<JsonNode> docs = documents(yaml);
        assertThat(docs).hasSize(1);
        JsonNode spec = docs.get(0).path("spec");
        assertThat(spec.path("endpointSelector").path("matchLabels").path("class").asText()).isEqualTo("tiefighter");
        List<String> fqdns = spec.path("egress").findValuesAsText("matchName");
        assertThat(fqdns).containsExactly("api.github.com");
        JsonNode toDns = null;
        for (JsonNode rule : spec.path("egress")) {
            if (rule.path("toEndpoints").path(0).path("matchLabels").path("k8s-app").asText().equals("kube-dns")) {
                toDns = rule;
            }
        }
        assertThat(toDns).as(yaml).isNotNull();
        assertThat(toDns.path("toEndpoints").path(0).path("matchLabels").path(SelectorLabels.NAMESPACE).asText()).isEqualTo("kube-system");
        assertThat(toDns.path("toPorts").path(0).path("ports").path(0).path("port").asText()).isEqualTo("53");
        assertThat(toDns.path("toPorts").path(0).path("rules").path("dns").path(0).path("matchPattern").asText()).isEqualTo("*");
        // Selected by labels, never by the pod's name or its revision's hash.
        assertThat(yaml).doesNotContain("pod-template-hash").doesNotContain("tiefighter-");
    }

    @Test
    void commentsGiveTheRangeTheFlowsPerRuleAndTheDroppedOnlyEdgesNotAllowed() throws Exception {
        String yaml = get("/api/v1/policies?last=1h&namespace=data").body();
        assertThat(yaml).startsWith("# hubble-topology: CiliumNetworkPolicies suggested for namespace data from the flows of ");
        assertThat(yaml).contains("# ingress[0] from ").contains(" flows\n");
        assertThat(yaml).contains("# ingress: not allowed, only ever dropped: shop/deployment/frontend -> data/statefulset/postgres TCP/5432"
                + " -- ");
        assertThat(yaml).contains("POLICY_DENIED");
        // Mixed edges are allowed, and the comment says drops were seen on them.
        String payments = get("/api/v1/policies?last=1h&namespace=payments").body();
        assertThat(payments).contains("# ingress: allowed although ").contains("shop/deployment/checkout -> payments/deployment/payments-api TCP/8443");
        assertThat(yaml).doesNotContain("PARTIAL");
    }

    @Test
    void l7RulesAreWrittenWhereTheFlowsCarriedThemAndNotInventedElsewhere() throws Exception {
        // data's workloads only ever saw database and cache traffic: no HTTP route to write.
        String yaml = get("/api/v1/policies?last=1h&namespace=data&l7=true").body();
        assertThat(yaml).contains("# l7=true: no L7 rule suggested").doesNotContain("http:");
        String shop = get("/api/v1/policies?last=1h&namespace=shop&l7=true").body();
        assertThat(shop).contains("http:").contains("method: GET").contains("^/api/v1/items(\\?.*)?$")
                .doesNotContain("no L7 rule suggested");
        assertThat(get("/api/v1/policies?last=1h&namespace=shop").body()).doesNotContain("http:");
        assertThat(get("/api/v1/policies?last=1h&namespace=shop&l7=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void aNamespaceIsRequiredAndAnEmptyOneIsSaidSo() throws Exception {
        HttpResponse<String> none = get("/api/v1/policies?last=1h");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(none.body()).path("parameter").asText()).isEqualTo("namespace");
        String empty = get("/api/v1/policies?last=1h&namespace=nowhere").body();
        assertThat(empty).contains("# no workload of namespace nowhere sent or received traffic in the range");
        assertThat(documents(empty)).isEmpty();
    }
}
