package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;

import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.records.DnsRecord;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.HttpRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.L7Record;
import io.hubbletopology.records.TcpFlag;
import io.hubbletopology.simulator.SyntheticCluster;

/** The read view reads what FlowRecord's parser reads, and refuses what it refuses. */
class FlowViewTest {

    private static final long SEED = 7_014;
    private static final byte[][] TOKENS = {
        {0}, {(byte) 0xff}, {(byte) 0x80}, {0x0b}, {0x0c},
        // field 19: a group, then its end; an end-group of another field
        {(byte) 0x9b, 0x01, (byte) 0x9c, 0x01}, {(byte) 0x9b, 0x01, 0x0c},
        {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
        // an invalid UTF-8 sequence, a valid two-byte one
        {(byte) 0xc3, 0x28}, {(byte) 0xc3, (byte) 0xa9},
    };

    private static FlowRecord rich() {
        return FlowRecord.newBuilder().setTimeUnixNanos(1_700_000_000_123_456_789L).setNodeName("kind/worker-ü")
                .setVerdict(Verdict.DROPPED).setDropReasonValue(DropReason.POLICY_DENIED_VALUE)
                .setSource(EndpointRef.newBuilder().setCluster("kind").setNamespace("shop").setPod("web-7d4f9b8c6d-x2x9q")
                        .setWorkloadKind("Deployment").setWorkloadName("web").setIdentity(12345).setIp("10.0.0.7")
                        .addLabels("k8s:app=web").addLabels("k8s:io.kubernetes.pod.namespace=shop").addDnsNames("web.shop")
                        .setServiceName("web"))
                .setDestination(EndpointRef.newBuilder().setCluster("kind").setNamespace("data").setPod("db-0")
                        .setIdentity(777).setIp("10.0.1.9").addLabels("k8s:app=db"))
                .setProtocol(L4Protocol.TCP).setSourcePort(41234).setDestinationPort(5432)
                .setTcpFlags(TcpFlag.TCP_SYN_VALUE | TcpFlag.TCP_ACK_VALUE).setIsReply(false).setEncrypted(true)
                .setL7(L7Record.newBuilder().setType(L7FlowType.REQUEST).setLatencyNs(1_500)
                        .setHttp(HttpRecord.newBuilder().setCode(0).setMethod("GET").setUrl("http://db/api?x=1")))
                .setUuid("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0").setSummary("TCP Flags: SYN")
                .setHubbleFlow(ByteString.copyFromUtf8("the flow as Hubble sent it, \u00e9 included"))
                .build();
    }

    private static FlowRecord dnsReply() {
        return FlowRecord.newBuilder().setTimeUnixNanos(1_700_000_001_000_000_000L).setVerdict(Verdict.FORWARDED)
                .setSource(EndpointRef.newBuilder().setNamespace("kube-system").setPod("coredns-0").setIdentity(2))
                .setDestination(EndpointRef.newBuilder().setIp("8.8.8.8").addLabels("reserved:world"))
                .setProtocol(L4Protocol.UDP).setSourcePort(53).setDestinationPort(40000).setIsReply(true)
                .setL7(L7Record.newBuilder().setType(L7FlowType.RESPONSE)
                        .setDns(DnsRecord.newBuilder().setQuery("example.com.").setRcode(3).addIps("1.2.3.4")))
                .build();
    }

    @Test
    void readsEveryFieldTheTopologyReadsAsTheParserDoes() throws IOException {
        List<FlowRecord> flows = new java.util.ArrayList<>(List.of(rich(), dnsReply(), FlowRecord.getDefaultInstance()));
        SyntheticCluster cluster = new SyntheticCluster(42);
        for (int i = 0; i < 500; i++) {
            flows.add(FlowRecords.fromHubble(cluster.next(1_700_000_000_000_000_000L + i * 1_000_000L), "sim-node"));
        }
        for (FlowRecord flow : flows) {
            assertReadsAsParsed(FlowView.read(flow.toByteArray()), flow);
        }
    }

    @Test
    void mergesAnEndpointGivenTwiceAsTheParserDoes() throws IOException {
        FlowRecord second = FlowRecord.newBuilder().setSource(EndpointRef.newBuilder().setPod("web-1").addLabels("k8s:tier=front"))
                .setL7(L7Record.newBuilder().setLatencyNs(9)).build();
        byte[] both = concat(rich().toByteArray(), second.toByteArray());
        FlowView view = FlowView.read(both);
        assertReadsAsParsed(view, FlowRecord.parseFrom(both));
        assertThat(view.source().pod()).isEqualTo("web-1");
        assertThat(view.source().ref().getLabelsList()).containsExactly("k8s:app=web", "k8s:io.kubernetes.pod.namespace=shop",
                "k8s:tier=front");
    }

    @Test
    @Timeout(60)
    void refusesExactlyWhatTheParserRefusesOnRandomAndMutatedBytes() throws IOException {
        Random random = new Random(SEED);
        List<byte[]> seeds = List.of(rich().toByteArray(), dnsReply().toByteArray());
        int refused = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = i % 7 == 0 ? randomBytes(random, random.nextInt(200)) : mutate(seeds.get(i % 2), random);
            FlowRecord parsed = parseOrNull(bytes);
            FlowView view;
            try {
                view = FlowView.read(bytes);
            } catch (InvalidProtocolBufferException e) {
                view = null;
            }
            assertThat(view == null).as("refused by the view as by the parser: %s", Arrays.toString(bytes)).isEqualTo(parsed == null);
            if (parsed != null) {
                assertReadsAsParsed(view, parsed);
            } else {
                refused++;
            }
        }
        assertThat(refused).as("the mutations make some records unreadable").isBetween(1_000, 49_000);
    }

    @Test
    void theSerdeRefusesWithTheTopicAndGivesBackTheBytesItRead() {
        var serde = FlowView.serde();
        byte[] bytes = rich().toByteArray();
        assertThat(serde.serializer().serialize("t", serde.deserializer().deserialize("t", bytes))).isSameAs(bytes);
        assertThatThrownBy(() -> serde.deserializer().deserialize("hubble.flows", new byte[] {(byte) 0xff}))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("not a valid record on hubble.flows");
    }

    @Test
    void knowsEveryFieldOfTheRecordsItReads() {
        // A new field in records.proto: if the topology is to read it, FlowView needs a case for it (else it is
        // read as an unknown field, checked and skipped). Then add its number here.
        assertThat(FlowRecord.getDescriptor().getFields().stream().map(Descriptors.FieldDescriptor::getNumber))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        assertThat(EndpointRef.getDescriptor().getFields().stream().map(Descriptors.FieldDescriptor::getNumber))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    private static void assertReadsAsParsed(FlowView view, FlowRecord flow) {
        assertThat(view.timeUnixNanos()).isEqualTo(flow.getTimeUnixNanos());
        assertThat(view.nodeName()).isEqualTo(flow.getNodeName());
        assertThat(view.verdict()).isEqualTo(flow.getVerdictValue());
        assertThat(view.dropReason()).isEqualTo(flow.getDropReasonValue());
        assertThat(view.protocol()).isEqualTo(flow.getProtocolValue());
        assertThat(view.sourcePort()).isEqualTo(flow.getSourcePort());
        assertThat(view.destinationPort()).isEqualTo(flow.getDestinationPort());
        assertThat(view.tcpFlags()).isEqualTo(flow.getTcpFlags());
        assertThat(view.reply()).isEqualTo(EdgeKey.isReply(flow));
        assertThat(view.encrypted()).isEqualTo(flow.getEncrypted());
        assertThat(view.l7()).isEqualTo(flow.hasL7() ? flow.getL7() : null);
        assertEndpoint(view.source(), flow.hasSource(), flow.getSource());
        assertEndpoint(view.destination(), flow.hasDestination(), flow.getDestination());
    }

    private static void assertEndpoint(FlowView.Endpoint endpoint, boolean present, EndpointRef ref) {
        if (!present) {
            assertThat(endpoint).isNull();
            return;
        }
        assertThat(endpoint.cluster()).isEqualTo(ref.getCluster());
        assertThat(endpoint.namespace()).isEqualTo(ref.getNamespace());
        assertThat(endpoint.pod()).isEqualTo(ref.getPod());
        assertThat(endpoint.identity()).isEqualTo(ref.getIdentity());
        assertThat(endpoint.ref()).isEqualTo(ref);
    }

    private static FlowRecord parseOrNull(byte[] bytes) {
        try {
            return FlowRecord.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        return Mutations.mutate(seed, random, TOKENS);
    }

    private static byte[] randomBytes(Random random, int n) {
        return Mutations.randomBytes(random, n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return Mutations.insert(a, a.length, b);
    }
}
