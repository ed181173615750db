package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Timestamp;

import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.HTTP;
import io.hubbletopology.hubble.flow.IP;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.Layer7;
import io.hubbletopology.hubble.flow.TCP;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.flow.Workload;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.TcpFlag;

class FlowRecordsTest {

    private static Flow.Builder droppedTcp() {
        return Flow.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123))
                .setVerdict(Verdict.DROPPED)
                .setDropReasonDesc(DropReason.POLICY_DENIED)
                .setIP(IP.newBuilder().setSource("10.0.1.6").setDestination("10.0.1.5"))
                .setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(44916).setDestinationPort(80)
                        .setFlags(TCPFlags.newBuilder().setSYN(true))))
                .setSource(Endpoint.newBuilder().setNamespace("default").setPodName("xwing").setIdentity(12345)
                        .addWorkloads(Workload.newBuilder().setKind("Deployment").setName("xwing")))
                .setDestination(Endpoint.newBuilder().setNamespace("default").setPodName("deathstar-0"))
                .setNodeName("kind-kind/kind-worker");
    }

    @Test
    void keepsWhatTheTopologyNeeds() {
        FlowRecord r = FlowRecords.fromHubble(droppedTcp().build(), "fallback");
        assertThat(r.getTimeUnixNanos()).isEqualTo(1_700_000_000_000_000_123L);
        assertThat(r.getVerdict()).isEqualTo(Verdict.DROPPED);
        assertThat(r.getDropReason()).isEqualTo(DropReason.POLICY_DENIED);
        assertThat(r.getProtocol()).isEqualTo(L4Protocol.TCP);
        assertThat(r.getDestinationPort()).isEqualTo(80);
        assertThat(r.getTcpFlags()).isEqualTo(TcpFlag.TCP_SYN_VALUE);
        assertThat(r.getSource().getWorkloadName()).isEqualTo("xwing");
        assertThat(r.getSource().getIp()).isEqualTo("10.0.1.6");
        assertThat(r.getNodeName()).isEqualTo("kind-kind/kind-worker");
        assertThat(r.hasIsReply()).isFalse();
    }

    @Test
    void keepsAnUnknownDropReasonAsItsNumberAndReadsTheDeprecatedField() {
        FlowRecord fromNew = FlowRecords.fromHubble(droppedTcp().setDropReasonDescValue(250).build(), "n");
        assertThat(fromNew.getDropReasonValue()).isEqualTo(250);
        FlowRecord fromOld = FlowRecords.fromHubble(droppedTcp().clearDropReasonDesc().setDropReason(181).build(), "n");
        assertThat(fromOld.getDropReason()).isEqualTo(DropReason.POLICY_DENY);
    }

    @Test
    void usesTheFallbackNodeAndReadsBothReplyFields() {
        FlowRecord noNode = FlowRecords.fromHubble(droppedTcp().clearNodeName().setIsReply(BoolValue.of(true)).build(), "node-7");
        assertThat(noNode.getNodeName()).isEqualTo("node-7");
        assertThat(noNode.getIsReply()).isTrue();
        FlowRecord oldReply = FlowRecords.fromHubble(droppedTcp().setReply(true).build(), "n");
        assertThat(oldReply.getIsReply()).isTrue();
    }

    @Test
    void keepsHttpFigures() {
        Flow flow = droppedTcp().setVerdict(Verdict.FORWARDED).setL7(Layer7.newBuilder().setLatencyNs(5_000_000)
                .setHttp(HTTP.newBuilder().setCode(503).setMethod("GET").setUrl("/x"))).build();
        FlowRecord r = FlowRecords.fromHubble(flow, "n");
        assertThat(r.getL7().getHttp().getCode()).isEqualTo(503);
        assertThat(r.getL7().getLatencyNs()).isEqualTo(5_000_000);
    }
}
