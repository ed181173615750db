package io.hubbletopology.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
