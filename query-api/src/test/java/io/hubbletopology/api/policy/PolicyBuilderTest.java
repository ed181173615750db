package io.hubbletopology.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.api.TimeRange;
import io.hubbletopology.processor.query.Answer;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.Workload;

class PolicyBuilderTest {

    private static final TimeRange RANGE = new TimeRange(Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T11:00:00Z"));

    private static Workload workload(String ns, String kind, String name, Map<String, String> labels) {
        return new Workload(null, ns + "/" + kind + "/" + name, "", ns, kind, name, labels, List.of(name + "-0"), RANGE.to());
    }

    private static EdgeStats edge(String src, String srcNs, String dst, String dstNs, String protocol, int port, long forwarded,
                                  long dropped) {
        return new EdgeStats(src, dst, srcNs, dstNs, protocol, port, forwarded + dropped,
                Map.of("FORWARDED", forwarded, "DROPPED", dropped), dropped > 0 ? Map.of("POLICY_DENIED", dropped) : Map.of(),
                null, null, null, null, false, List.of("n1"), RANGE.from(), RANGE.to());
    }

    private static EdgeStats httpEdge(String src, String dst, int port, long routesOther, EdgeStats.Route... routes) {
        long requests = routesOther;
        for (EdgeStats.Route r : routes) {
            requests += r.requests();
        }
        return new EdgeStats(src, dst, "shop", "shop", "TCP", port, requests, Map.of("FORWARDED", requests), Map.of(), null,
                new EdgeStats.Http(requests, Map.of("2xx", requests), List.of(routes), routesOther), null, null, false,
                List.of("n1"), RANGE.from(), RANGE.to());
    }

    private static PolicySet buildL7(List<EdgeStats> edges, List<Workload> workloads) {
        return PolicyBuilder.build(new PolicyBuilder.Question("shop", null, RANGE, true), edges, workloads);
    }

    private static JsonNode policyOf(PolicySet set, String workload) throws Exception {
        for (PolicySuggestion s : set.policies()) {
            if (s.workload().equals(workload)) {
                return PolicySuggestionIT.documents(PolicyYaml.object(s.policy())).get(0);
            }
        }
        throw new AssertionError("no policy for " + workload);
    }

    private static PolicySet build(List<EdgeStats> edges, List<Workload> workloads) {
        return PolicyBuilder.build(new PolicyBuilder.Question("shop", null, RANGE), edges, workloads);
    }

    @Test
    void writesValidYamlThatQuotesPortsAndKeepsNamesOnTheWireOutOfTheYaml() throws Exception {
        Workload web = workload("shop", "deployment", "web", Map.of("app", "web", "pod-template-hash", "7d4b9c5f8"));
        Workload evil = workload("shop", "deployment", "x\n  evil: true", Map.of("app", "evil"));
        PolicySet set = build(List.of(edge(web.id(), "shop", evil.id(), "shop", "TCP", 53, 3, 0)), List.of(web, evil));
        String yaml = PolicyYaml.write(set);
        List<JsonNode> docs = PolicySuggestionIT.documents(yaml);
        assertThat(docs).hasSize(2);
        for (JsonNode doc : docs) {
            assertThat(CrdSchema.ciliumNetworkPolicy().violations(doc)).isEmpty();
            assertThat(doc.path("spec").has("evil")).isFalse();
        }
        // The web's egress to the second workload, on port 53: a string, as the CRD types it.
        assertThat(docs.get(0).path("spec").path("egress").path(0).path("toPorts").path(0).path("ports").path(0).path("port").isTextual())
                .isTrue();
        assertThat(docs.get(0).path("spec").path("endpointSelector").path("matchLabels").has("pod-template-hash")).isFalse();
        assertThat(yaml.lines().filter(l -> l.contains("evil: true")).toList()).as(yaml).allMatch(l -> l.startsWith("#") || l.contains("\\n"));
    }

    @Test
    void withL7TheRoutesAnEdgeCarriedBecomeHttpRulesOnAPortRuleOfTheirOwnWithEscapedAnchoredPaths() throws Exception {
        Workload web = workload("shop", "deployment", "web", Map.of("app", "web"));
        Workload cart = workload("shop", "deployment", "cart", Map.of("app", "cart"));
        PolicySet set = buildL7(List.of(
                httpEdge(web.id(), cart.id(), 8080, 0, new EdgeStats.Route("GET", "/api/cart", 5),
                        new EdgeStats.Route("POST", "/api/v1.2/items(new)", 2)),
                edge(web.id(), "shop", cart.id(), "shop", "TCP", 9090, 3, 0)), List.of(web, cart));

        JsonNode policy = policyOf(set, cart.id());
        assertThat(CrdSchema.ciliumNetworkPolicy().violations(policy)).isEmpty();
        JsonNode toPorts = policy.path("spec").path("ingress").path(0).path("toPorts");
        assertThat(toPorts).hasSize(2);
        // The port without HTTP stays a plain L4 rule; 8080 has a PortRule of its own with the routes.
        assertThat(toPorts.path(0).path("ports").path(0).path("port").asText()).isEqualTo("9090");
        assertThat(toPorts.path(0).has("rules")).isFalse();
        assertThat(toPorts.path(1).path("ports")).hasSize(1);
        assertThat(toPorts.path(1).path("ports").path(0).path("port").asText()).isEqualTo("8080");
        JsonNode http = toPorts.path(1).path("rules").path("http");
        assertThat(http).hasSize(2);
        assertThat(http.path(0).path("method").asText()).isEqualTo("GET");
        assertThat(http.path(0).path("path").asText()).isEqualTo("^/api/cart(\\?.*)?$");
        assertThat(http.path(1).path("method").asText()).isEqualTo("POST");
        assertThat(http.path(1).path("path").asText()).isEqualTo("^/api/v1\\.2/items\\(new\\)(\\?.*)?$");
        Pattern path = Pattern.compile(http.path(1).path("path").asText());
        assertThat(path.matcher("/api/v1.2/items(new)").matches()).isTrue();
        assertThat(path.matcher("/api/v1.2/items(new)?page=2").matches()).isTrue();
        assertThat(path.matcher("/api/v1x2/items(new)").matches()).isFalse();
        assertThat(path.matcher("/api/v1.2/items(new)/more").matches()).isFalse();
        assertThat(PolicyYaml.write(set)).contains("# ingress[0] from shop/deployment/web: TCP/8080, TCP/9090 (2 HTTP routes on TCP/8080)")
                .doesNotContain("no L7 rule suggested");
        // Egress of the web: the same rules towards the cart.
        JsonNode egress = policyOf(set, web.id()).path("spec").path("egress").path(0).path("toPorts").path(1);
        assertThat(egress.path("rules").path("http")).hasSize(2);
    }

    @Test
    void withoutL7NoHttpRuleIsWrittenAlthoughTheEdgesCarriedRoutes() throws Exception {
        Workload web = workload("shop", "deployment", "web", Map.of("app", "web"));
        Workload cart = workload("shop", "deployment", "cart", Map.of("app", "cart"));
        PolicySet set = build(List.of(httpEdge(web.id(), cart.id(), 8080, 0, new EdgeStats.Route("GET", "/api/cart", 5))),
                List.of(web, cart));
        assertThat(PolicyYaml.write(set)).doesNotContain("http:").doesNotContain("l7=true");
    }

    @Test
    void anEdgeWhoseRoutesOverflowedKeepsAnL4RuleAndTheCommentSaysWhy() throws Exception {
        Workload web = workload("shop", "deployment", "web", Map.of("app", "web"));
        Workload api = workload("shop", "deployment", "api", Map.of("app", "api"));
        Workload cart = workload("shop", "deployment", "cart", Map.of("app", "cart"));
        PolicySet set = buildL7(List.of(
                httpEdge(web.id(), api.id(), 8080, 40, new EdgeStats.Route("GET", "/item/1", 5)),
                httpEdge(web.id(), cart.id(), 8080, 0, new EdgeStats.Route("GET", "/api/cart", 5))), List.of(web, api, cart));

        JsonNode apiPolicy = policyOf(set, api.id());
        assertThat(apiPolicy.path("spec").path("ingress").path(0).path("toPorts").path(0).has("rules")).isFalse();
        PolicySuggestion apiSuggestion = set.policies().stream().filter(p -> p.workload().equals(api.id())).findFirst().orElseThrow();
        assertThat(apiSuggestion.notes()).anySatisfy(n -> assertThat(n)
                .startsWith("ingress: no L7 rule in ingress[0] for TCP/8080, which stays an L4 rule: shop/deployment/web -> shop/deployment/api TCP/8080")
                .contains("40 of its 45 HTTP requests are not in the routes"));
        // The web's egress: the overflowing peer stays L4, the other gets its route.
        JsonNode egress = policyOf(set, web.id()).path("spec").path("egress");
        assertThat(egress.findValues("http")).hasSize(1);
        assertThat(egress.findValuesAsText("path")).containsExactly("^/api/cart(\\?.*)?$");
    }

    @Test
    void withL7AndNoEdgeCarryingItsRoutesTheAnswerSaysNoL7RuleWasSuggested() {
        Workload web = workload("shop", "deployment", "web", Map.of("app", "web"));
        Workload cart = workload("shop", "deployment", "cart", Map.of("app", "cart"));
        // HTTP requests counted before routes were kept: no route at all.
        PolicySet set = buildL7(List.of(httpEdge(web.id(), cart.id(), 8080, 0),
                new EdgeStats(web.id(), cart.id(), "shop", "shop", "TCP", 8081, 4, Map.of("FORWARDED", 4L), Map.of(), null,
                        new EdgeStats.Http(4, Map.of()), null, null, false, List.of(), RANGE.from(), RANGE.to())), List.of(web, cart));
        String yaml = PolicyYaml.write(set);
        assertThat(yaml).contains("# l7=true: no L7 rule suggested; no allowed edge of namespace shop carried").doesNotContain("http:");
    }

    @Test
    void aDirectionWithOnlyDropsIsEnforcedWithDefaultDenyAndSaysWhy() {
        Workload web = workload("shop", "deployment", "web", Map.of("app", "web"));
        Workload db = workload("data", "statefulset", "db", Map.of("app", "db"));
        PolicySet set = build(List.of(edge(web.id(), "shop", db.id(), "data", "TCP", 5432, 0, 4)), List.of(web, db));
        PolicySuggestion only = set.policies().get(0);
        assertThat(only.policy().spec().enableDefaultDeny().egress()).isTrue();
        assertThat(only.policy().spec().egress()).hasSize(1);
        assertThat(only.notes()).anyMatch(n -> n.startsWith("egress: not allowed, only ever dropped: shop/deployment/web -> data/statefulset/db"
                + " TCP/5432 -- 4 flows dropped (POLICY_DENIED 4)"));
        assertThat(only.notes()).anyMatch(n -> n.startsWith("ingress not enforced"));
    }

    @Test
    void peersInOtherNamespacesCarryTheirNamespaceAndReservedPeersBecomeEntities() {
        Workload web = workload("shop", "deployment", "web", Map.of("app", "web"));
        Workload db = workload("data", "statefulset", "db", Map.of("app", "db"));
        PolicySet set = build(List.of(edge(web.id(), "shop", db.id(), "data", "TCP", 5432, 5, 0),
                edge("reserved:host", "", web.id(), "shop", "TCP", 8080, 2, 0),
                edge(web.id(), "shop", "ip:public", "", "TCP", 443, 1, 0),
                edge(web.id(), "shop", "reserved:world", "", "ICMPV4", 0, 1, 0)), List.of(web, db));
        CiliumNetworkPolicy.Spec spec = set.policies().get(0).policy().spec();
        assertThat(spec.egress().get(0).toEndpoints().get(0).matchLabels())
                .isEqualTo(Map.of("app", "db", SelectorLabels.NAMESPACE, "data"));
        assertThat(spec.egress().get(1).toEntities()).containsExactly("world");
        assertThat(spec.ingress().get(0).fromEntities()).containsExactly("host");
        assertThat(set.policies().get(0).notes()).anyMatch(n -> n.contains("ICMPV4 has no port"));
    }

    @Test
    void workloadsWithoutLabelsGetNoPolicyRatherThanAPodNameSelector() {
        Workload bare = workload("shop", "pod", "lonely", Map.of("pod-template-hash", "abc"));
        PolicySet set = build(List.of(edge(bare.id(), "shop", "reserved:world", "", "TCP", 443, 1, 0)), List.of(bare));
        assertThat(set.policies()).isEmpty();
        assertThat(set.notes()).singleElement().asString().contains("no policy for shop/pod/lonely");
    }

    @Test
    void aPartialAnswerNamesItsMissingPartitions() {
        Answer<List<EdgeStats>> partial = new Answer<>(List.of(), List.of(new Answer.Missing("10.0.0.2:8080", List.of(1, 3), "timed out")));
        assertThat(PolicyRoute.partial("edges", partial)).singleElement().asString()
                .startsWith("PARTIAL: the edges of partitions [1, 3] are missing (instance 10.0.0.2:8080: timed out)");
    }
}
