package io.hubbletopology.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.Verdict;

/** The generated clusters behind {@code demo --workloads N}, seen through the flows they produce, as ingest sees them. */
class GeneratedClusterTest {

    private static List<Flow> thousand;

    /** The flows of the 1,000-workload cluster of seed 42, drawn once for the tests that only look at them. */
    private static synchronized List<Flow> thousandWorkloads() {
        if (thousand == null) {
            thousand = flowsOf(new SyntheticCluster(42, 1_000));
        }
        return thousand;
    }

    /** Enough flows to go through every conversation twice (every other flow takes them in turn). */
    private static List<Flow> flowsOf(SyntheticCluster cluster) {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < 4 * cluster.conversations() + 2_000; i++) {
            flows.add(cluster.next(1_000_000L * i));
        }
        return flows;
    }

    /** The map's name of an endpoint: namespace/kind/name for a pod, else its DNS name or reserved identity. */
    private static String node(Endpoint e, List<String> dnsNames) {
        if (!e.getPodName().isEmpty()) {
            return e.getNamespace() + "/" + e.getWorkloads(0).getKind().toLowerCase() + "/" + e.getWorkloads(0).getName();
        }
        return dnsNames.isEmpty() ? e.getLabels(0) : dnsNames.get(0);
    }

    private static String src(Flow f) {
        return node(f.getSource(), f.getSourceNamesList());
    }

    private static String dst(Flow f) {
        return node(f.getDestination(), f.getDestinationNamesList());
    }

    /** The edge a flow counts on, named from the side that opened the connection (a reply's destination). */
    private static String edge(Flow f) {
        boolean reply = f.getIsReply().getValue();
        boolean udp = f.getL4().hasUDP();
        int port = udp ? (reply ? f.getL4().getUDP().getSourcePort() : f.getL4().getUDP().getDestinationPort())
                : (reply ? f.getL4().getTCP().getSourcePort() : f.getL4().getTCP().getDestinationPort());
        return (reply ? dst(f) + " -> " + src(f) : src(f) + " -> " + dst(f)) + " " + (udp ? "UDP" : "TCP") + "/" + port;
    }

    private static Set<String> nodes(List<Flow> flows) {
        Set<String> nodes = new HashSet<>();
        flows.forEach(f -> {
            nodes.add(src(f));
            nodes.add(dst(f));
        });
        return nodes;
    }

    private static final Map<List<Flow>, Set<String>> EDGES = new java.util.IdentityHashMap<>();

    /** How many distinct edges of these flows pass the test. */
    private static synchronized long count(List<Flow> flows, java.util.function.Predicate<String> edgeTest) {
        Set<String> edges = EDGES.computeIfAbsent(flows, f -> f.stream().map(GeneratedClusterTest::edge).collect(Collectors.toSet()));
        return edges.stream().filter(edgeTest).count();
    }

    @Test
    void aThousandWorkloadsMakeAThousandNodesInAboutSixteenNamespacesAndAboutTenThousandEdges() {
        SyntheticCluster cluster = new SyntheticCluster(42, 1_000);
        List<Flow> flows = thousandWorkloads();
        assertThat(nodes(flows)).hasSize(1_000);
        Set<String> namespaces = flows.stream().map(f -> f.getSource().getNamespace()).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        assertThat(namespaces).hasSize((int) Math.round(Math.sqrt(1_000) / 2)).contains("kube-system", "monitoring");
        assertThat(count(flows, e -> true)).isBetween(9_000L, 11_000L).isEqualTo(cluster.conversations());
        assertThat(cluster.nodes()).hasSize(50);
        assertThat(cluster.naturalFlowsPerSecond()).isEqualTo(200.0 * 50 / 3);
    }

    @Test
    void everySizeFromOneToTheMaximumHasThatManyNodesOnTheMap() {
        for (int n : new int[] {1, 2, 3, 4, 5, 8, 11, 13, 100, 333}) {
            assertThat(nodes(flowsOf(new SyntheticCluster(9, n)))).as("workloads=" + n).hasSize(n);
        }
        assertThatThrownBy(() -> new SyntheticCluster(9, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..5000");
        assertThatThrownBy(() -> new SyntheticCluster(9, 5_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameSeedAndSizeGiveTheSameFlows() {
        List<Flow> a = new ArrayList<>();
        List<Flow> b = new ArrayList<>();
        List<Flow> c = new ArrayList<>();
        SyntheticCluster first = new SyntheticCluster(7, 1_000);
        SyntheticCluster again = new SyntheticCluster(7, 1_000);
        SyntheticCluster other = new SyntheticCluster(8, 1_000);
        for (int i = 0; i < 3_000; i++) {
            a.add(first.next(i));
            b.add(again.next(i));
            c.add(other.next(i));
        }
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void trafficFlowsDownTheTiersWithSharedServicesAFewCrossNamespaceCallsAndDrops() {
        List<Flow> flows = thousandWorkloads();
        Set<String> podWorkloads = nodes(flows).stream().filter(n -> n.chars().filter(ch -> ch == '/').count() == 2)
                .collect(Collectors.toSet());
        assertThat(count(flows, e -> e.startsWith("reserved:world -> ") && e.contains("/deployment/web"))).isPositive();
        assertThat(count(flows, e -> e.matches("\\S+/deployment/(web|storefront|admin-ui|mobile-bff)\\S* -> \\S+-api TCP/8080")))
                .isGreaterThan(300);
        assertThat(count(flows, e -> e.matches("\\S+-api -> \\S+-(service|worker) TCP/9000"))).isGreaterThan(1_000);
        assertThat(count(flows, e -> e.matches("\\S+-(service|worker|api) -> \\S+/statefulset/\\S+-(postgres|redis|kafka|elasticsearch|mongodb|mysql) TCP/\\d+")))
                .isGreaterThan(1_000);
        // Everyone asks CoreDNS; Prometheus scrapes nearly everyone.
        long askingDns = count(flows, e -> e.endsWith(" -> kube-system/deployment/coredns UDP/53"));
        assertThat(askingDns).isEqualTo(podWorkloads.size() - 1);
        assertThat(count(flows, e -> e.startsWith("monitoring/statefulset/prometheus -> ") && e.endsWith("TCP/9090")))
                .isGreaterThan(podWorkloads.size() * 8 / 10);
        long crossNamespace = flows.stream().filter(f -> !f.getSource().getNamespace().isEmpty() && !f.getDestination().getNamespace().isEmpty()
                        && !f.getSource().getNamespace().equals(f.getDestination().getNamespace())
                        && !Set.of("kube-system", "monitoring").contains(f.getSource().getNamespace())
                        && !Set.of("kube-system", "monitoring").contains(f.getDestination().getNamespace()))
                .map(GeneratedClusterTest::edge).distinct().count();
        assertThat(crossNamespace).isBetween(10L, 200L);
        Set<DropReason> reasons = flows.stream().filter(f -> f.getVerdict() == Verdict.DROPPED).map(Flow::getDropReasonDesc)
                .collect(Collectors.toSet());
        assertThat(reasons).contains(DropReason.POLICY_DENIED, DropReason.CT_MISSING_TCP_ACK_FLAG);
        assertThat(flows).anyMatch(f -> f.getDestinationNamesList().contains("api.github.com"));
    }

    @Test
    void workloadsRunSeveralPodsOnSeveralNodesAndSomeEdgesCarryHttpStatusClassesAndDns() {
        List<Flow> flows = thousandWorkloads();
        Map<String, Set<String>> podsOf = new HashMap<>();
        Map<String, Set<String>> nodesOf = new HashMap<>();
        for (Flow f : flows) {
            if (!f.getSource().getPodName().isEmpty()) {
                podsOf.computeIfAbsent(src(f), k -> new HashSet<>()).add(f.getSource().getPodName());
                nodesOf.computeIfAbsent(src(f), k -> new HashSet<>()).add(f.getNodeName());
            }
        }
        assertThat(podsOf.values().stream().filter(p -> p.size() >= 2).count()).isGreaterThan(podsOf.size() / 2);
        assertThat(nodesOf.values().stream().filter(n -> n.size() >= 2).count()).isGreaterThan(nodesOf.size() / 2);
        assertThat(flows.stream().map(Flow::getNodeName).distinct().count()).isEqualTo(50);
        Set<Integer> classes = flows.stream().filter(f -> f.getL7().hasHttp() && f.getL7().getHttp().getCode() > 0)
                .map(f -> f.getL7().getHttp().getCode() / 100).collect(Collectors.toSet());
        assertThat(classes).contains(2, 4, 5);
        assertThat(flows).anyMatch(f -> f.getL7().hasDns() && f.getL7().getDns().getRcode() == 3);
        assertThat(flows).anyMatch(f -> f.getL7().hasDns() && f.getL7().getDns().getQuery().endsWith(".svc.cluster.local."));
    }
}
