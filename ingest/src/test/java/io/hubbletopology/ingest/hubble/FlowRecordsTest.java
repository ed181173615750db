package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;

import io.hubbletopology.flowfilter.HubbleFlows;
import io.hubbletopology.hubble.flow.CiliumEventType;
import io.hubbletopology.hubble.flow.HTTPHeader;
import io.hubbletopology.hubble.flow.NetworkInterface;
import io.hubbletopology.hubble.flow.Policy;
import io.hubbletopology.hubble.flow.Service;
import io.hubbletopology.hubble.flow.TraceContext;
import io.hubbletopology.hubble.flow.TraceParent;
import io.hubbletopology.hubble.flow.TrafficDirection;

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

    @Test
    void keepsTheFlowAsHubbleSentItWithEveryFieldAndTheOnesOurProtosDoNotKnow() throws Exception {
        // A newer Hubble's fields: one between ours (9999) and one above them all; as the wire parser keeps them.
        UnknownFieldSet newer = UnknownFieldSet.newBuilder()
                .addField(9999, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("future")).build())
                .addField(200_001, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                .build();
        Flow sent = droppedTcp().setUuid("f-1").setEventType(CiliumEventType.newBuilder().setType(5).setSubType(2))
                .setInterface(NetworkInterface.newBuilder().setIndex(11).setName("lxc1234"))
                .setTrafficDirection(TrafficDirection.INGRESS).addNodeLabels("topology.kubernetes.io/zone=a")
                .setDestinationService(Service.newBuilder().setName("deathstar").setNamespace("empire"))
                .addIngressDeniedBy(Policy.newBuilder().setName("deny-xwing").setNamespace("default").setKind("CiliumNetworkPolicy")
                        .addLabels("k8s:io.cilium.k8s.policy.name=deny-xwing").setRevision(42))
                .setL7(Layer7.newBuilder().setHttp(HTTP.newBuilder().setMethod("POST").setUrl("/v1/exhaust-port").setProtocol("HTTP/1.1")
                        .addHeaders(HTTPHeader.newBuilder().setKey("x-request-id").setValue("abc"))))
                .setTraceContext(TraceContext.newBuilder().setParent(TraceParent.newBuilder().setTraceId("4bf92f3577b34da6")))
                .setUnknownFields(newer)
                .build();
        byte[] wire = sent.toByteArray();
        Flow received = Flow.parseFrom(wire);
        assertThat(received.getUnknownFields().asMap()).containsOnlyKeys(9999, 200_001);

        // Through the topic: the record's bytes, parsed again as the API's readers parse them.
        FlowRecord onTopic = FlowRecord.parseFrom(FlowRecords.fromHubble(received, "fallback").toByteArray());
        Flow readBack = HubbleFlows.of(onTopic);

        assertThat(readBack).isEqualTo(sent);
        assertThat(readBack.toByteArray()).isEqualTo(wire);
        assertThat(onTopic.getHubbleFlow().toByteArray()).isEqualTo(wire);
        // The compact fields the processor reads are there as before.
        assertThat(onTopic.getDestination().getServiceName()).isEqualTo("deathstar");
        assertThat(onTopic.getL7().getHttp().getUrl()).isEqualTo("/v1/exhaust-port");
    }

    @Test
    void aRecordWithoutTheFlowIsRebuiltFromItsCompactFieldsAndAFlowWithoutNodeGetsTheRecordsNode() {
        FlowRecord full = FlowRecords.fromHubble(droppedTcp().clearNodeName().build(), "node-7");
        assertThat(HubbleFlows.of(full).getNodeName()).isEqualTo("node-7");
        assertThat(HubbleFlows.of(full).getSource().getWorkloads(0).getName()).isEqualTo("xwing");
        FlowRecord older = full.toBuilder().clearHubbleFlow().build();
        Flow rebuilt = HubbleFlows.of(older);
        assertThat(rebuilt.getNodeName()).isEqualTo("node-7");
        assertThat(rebuilt.getVerdict()).isEqualTo(Verdict.DROPPED);
        assertThat(rebuilt.getL4().getTCP().getDestinationPort()).isEqualTo(80);
        assertThat(HubbleFlows.of(full.toBuilder().setHubbleFlow(ByteString.copyFrom(new byte[] {0x0A, 0x7F})).build()))
                .as("bytes that do not parse (a length past their end) fall back to the compact fields").isEqualTo(rebuilt);
    }
}
