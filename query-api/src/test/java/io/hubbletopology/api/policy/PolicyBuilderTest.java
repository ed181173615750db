package io.hubbletopology.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.api.TimeRange;
import io.hubbletopology.api.cluster.Answer;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.Workload;

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
