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
     * flows (times 1 s apart), computed with the SyntheticCluster of commit bd66a37. The deploy tests (ExpectedTopology,
     * LiveMapBrowserIT) and the page's screenshots know this cluster by name.
     */
    @Test
    void theDemoClusterIsUnchangedByTheGenerator() throws Exception {
        assertThat(digest(new SyntheticCluster(42))).isEqualTo("c713e5992ee3457ccb43d146c89a08fdd4b29f87008f72037125c3ae85611ac6");
        assertThat(digest(new SyntheticCluster(3, SyntheticCluster.DEFAULT_WORKLOADS)))
                .isEqualTo("e8ac687e8511a97d1160287308f39d905571f6bd6f3268d44392c42af3883b0f");
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
