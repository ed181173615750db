package io.hubbletopology.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplicationPlanTest {

    @Test
    void threeOrMoreBrokersGetThreeReplicasWithTwoInSync() {
        assertThat(ReplicationPlan.forBrokers(3)).isEqualTo(new ReplicationPlan((short) 3, 2));
        assertThat(ReplicationPlan.forBrokers(7)).isEqualTo(new ReplicationPlan((short) 3, 2));
    }

    @Test
    void fewerBrokersGetOneReplicaEachAndOneInSync() {
        assertThat(ReplicationPlan.forBrokers(1)).isEqualTo(new ReplicationPlan((short) 1, 1));
        assertThat(ReplicationPlan.forBrokers(2)).isEqualTo(new ReplicationPlan((short) 2, 1));
    }

    @Test
    void aFixedFactorGetsTwoInSyncFromThreeOn() {
        assertThat(ReplicationPlan.ofFactor((short) 2).minInsyncReplicas()).isEqualTo(1);
        assertThat(ReplicationPlan.ofFactor((short) 5).minInsyncReplicas()).isEqualTo(2);
    }

    @Test
    void parsesAutoOrAWholeNumberAndNamesWhatItAccepts() {
        assertThat(ReplicationPlan.parseFactor("auto")).isEqualTo(ReplicationPlan.BY_CLUSTER_SIZE);
        assertThat(ReplicationPlan.parseFactor(" 3 ")).isEqualTo(3);
        assertThatThrownBy(() -> ReplicationPlan.parseFactor("0")).hasMessageContaining("auto or a whole number");
        assertThatThrownBy(() -> ReplicationPlan.parseFactor("three")).hasMessageContaining("'three'");
    }
}
