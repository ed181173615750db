package io.hubbletopology.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.flowfilter.CiliumEventTypes;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Verdict;

class SyntheticClusterTest {

    private static List<Flow> flows(long seed, int n) {
        SyntheticCluster cluster = new SyntheticCluster(seed);
        List<Flow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(cluster.next(1_000_000_000L * i));
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameFlows() {
        assertThat(flows(7, 500)).isEqualTo(flows(7, 500));
        assertThat(flows(7, 500)).isNotEqualTo(flows(8, 500));
    }

    /**
     * The demo's cluster is what it was before clusters could be generated: SHA-256 of the serialised first 20,000
     * flows (times 1 s apart). The deploy tests (ExpectedTopology, LiveMapBrowserIT) and the page's screenshots know
     * this cluster by name. Recorded again when flows gained their event type and replies their direction (server to
     * client, as Hubble reports them), after checking that with those two undone the flows still gave the digests of
     * the SyntheticCluster of commit bd66a37 (c713e599... and e8ac687e...): neither draws a random number.
     */
    @Test
    void theDemoClusterIsUnchangedByTheGenerator() throws Exception {
        assertThat(digest(new SyntheticCluster(42))).isEqualTo("b7ce43b8154a9f436b054c53935a080ac3e2777315f6100d7ead9f6406505b5f");
        assertThat(digest(new SyntheticCluster(3, SyntheticCluster.DEFAULT_WORKLOADS)))
                .isEqualTo("e5ca7711d904c6193ad23be6e2d87e01b152829baef99ad6b426afbbf86f08ed");
        assertThat(new SyntheticCluster(42).naturalFlowsPerSecond()).isEqualTo(200.0);
    }

    private static String digest(SyntheticCluster cluster) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 20_000; i++) {
            sha.update(cluster.next(1_000_000_000L * i).toByteArray());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void everyFlowHasTheEventTypeCiliumsMonitorGivesIt() {
        for (Flow f : flows(42, 5_000)) {
            if (f.getVerdict() == Verdict.DROPPED) {
                assertThat(f.getEventType().getType()).isEqualTo(CiliumEventTypes.DROP);
                assertThat(f.getEventType().getSubType()).isEqualTo(f.getDropReason()).isPositive();
            } else if (f.hasL7()) {
                assertThat(f.getEventType().getType()).isEqualTo(CiliumEventTypes.ACCESS_LOG);
            } else {
                assertThat(f.getEventType().getType()).isEqualTo(CiliumEventTypes.TRACE);
            }
        }
    }

    @Test
    void aReplyTravelsFromTheServersPortBackToTheClient() {
        List<Flow> flows = flows(42, 5_000);
        Set<Integer> serverPorts = new HashSet<>();
        flows.stream().filter(f -> !f.getIsReply().getValue()).forEach(f -> serverPorts.add(port(f, false)));
        List<Flow> replies = flows.stream().filter(f -> f.getIsReply().getValue()).toList();
        assertThat(replies).isNotEmpty().allSatisfy(r -> {
            assertThat(serverPorts).contains(port(r, true));
            assertThat(port(r, false)).isGreaterThanOrEqualTo(32768);
        });
        assertThat(replies).anyMatch(r -> r.getL7().getType() == L7FlowType.RESPONSE && r.getL7().getLatencyNs() > 0);
    }

    private static int port(Flow f, boolean source) {
        return f.getL4().hasTCP() ? (source ? f.getL4().getTCP().getSourcePort() : f.getL4().getTCP().getDestinationPort())
                : (source ? f.getL4().getUDP().getSourcePort() : f.getL4().getUDP().getDestinationPort());
    }

    @Test
    void simulatesWhatARealClusterShows() {
        List<Flow> flows = flows(42, 5_000);
        Set<Integer> identities = new HashSet<>();
        flows.forEach(f -> identities.add(f.getSource().getIdentity()));
        assertThat(identities).contains(1, 2, 6);
        assertThat(flows).anyMatch(f -> f.getVerdict() == Verdict.DROPPED && f.getDropReasonDescValue() == 133);
        assertThat(flows).anyMatch(f -> f.getL7().hasDns());
        assertThat(flows).anyMatch(f -> f.getL7().hasHttp() && f.getL7().getHttp().getCode() >= 500);
        assertThat(flows).anyMatch(f -> f.getDestinationNamesList().contains("api.stripe.com"));
        assertThat(flows).anyMatch(f -> f.getIsReply().getValue());
        assertThat(flows).allMatch(f -> !f.getUuid().isEmpty() && !f.getNodeName().isEmpty());
        assertThat(flows.stream().map(Flow::getUuid).distinct().count()).isEqualTo(flows.size());
    }
}
