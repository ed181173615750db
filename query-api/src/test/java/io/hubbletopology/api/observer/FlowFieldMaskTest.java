package io.hubbletopology.api.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;

import io.hubbletopology.flowfilter.InvalidFilterException;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.Verdict;

class FlowFieldMaskTest {

    private static final Flow FLOW = Flow.newBuilder().setTime(Timestamp.newBuilder().setSeconds(1_800_000_000L)).setVerdict(Verdict.DROPPED)
            .setNodeName("node-1").setUuid("u-1")
            .setSource(Endpoint.newBuilder().setNamespace("shop").setPodName("web-0").addLabels("k8s:app=web")).build();

    @Test
    void keepsOnlyTheListedFieldsDownIntoMessages() {
        Flow masked = FlowFieldMask.of(FieldMask.newBuilder().addPaths("verdict").addPaths("source.namespace").build()).apply(FLOW);
        assertThat(masked).isEqualTo(Flow.newBuilder().setVerdict(Verdict.DROPPED).setSource(Endpoint.newBuilder().setNamespace("shop")).build());
    }

    @Test
    void setsNoMessageTheFlowDoesNotHave() {
        Flow masked = FlowFieldMask.of(FieldMask.newBuilder().addPaths("l4.TCP.destination_port").addPaths("verdict").build()).apply(FLOW);
        assertThat(masked).isEqualTo(Flow.newBuilder().setVerdict(Verdict.DROPPED).build());
        assertThat(masked.hasL4()).isFalse();
    }

    @Test
    void anEmptyMaskLeavesTheFlowWhole() {
        assertThat(FlowFieldMask.of(FieldMask.getDefaultInstance()).apply(FLOW)).isSameAs(FLOW);
    }

    @Test
    void refusesAPathThatIsNoFlowFieldNamingIt() {
        assertThatThrownBy(() -> FlowFieldMask.of(FieldMask.newBuilder().addPaths("source.colour").build()))
                .isInstanceOf(InvalidFilterException.class).hasMessageContaining("field_mask").hasMessageContaining("source.colour");
    }
}
