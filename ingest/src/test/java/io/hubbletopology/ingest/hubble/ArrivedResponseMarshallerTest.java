package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import io.grpc.StatusRuntimeException;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.LostEvent;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.ingest.testing.Mutations;
import io.hubbletopology.simulator.SyntheticCluster;

class ArrivedResponseMarshallerTest {

    private static final SyntheticCluster CLUSTER = new SyntheticCluster(5);

    private static ArrivedResponse parsed(byte[] wire) {
        return ArrivedResponseMarshaller.GET_FLOWS.parseResponse(new ByteArrayInputStream(wire));
    }

    @Test
    void keepsTheFlowFieldsBytesAsSentIncludingFieldsOurProtosDoNotKnow() {
        // Unknown fields in the flow, and an encoding protobuf would not produce itself (the time after the uuid).
        UnknownFieldSet newer = UnknownFieldSet.newBuilder()
                .addField(9999, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("future")).build()).build();
        Flow flow = CLUSTER.next(1_700_000_000_000_000_000L).toBuilder().setUnknownFields(newer).build();
        ByteString flowBytes = flow.toBuilder().clearTime().build().toByteString()
                .concat(Flow.newBuilder().setTime(flow.getTime()).build().toByteString());
        byte[] wire = GetFlowsResponse.newBuilder().setNodeName("relay-node").build().toByteString()
                .concat(ByteString.copyFrom(new byte[] {(byte) (GetFlowsResponse.FLOW_FIELD_NUMBER << 3 | 2)}))
                .concat(varint(flowBytes.size())).concat(flowBytes).toByteArray();

        ArrivedResponse arrived = parsed(wire);

        assertThat(arrived.response()).isEqualTo(parsedByProtobuf(wire));
        assertThat(arrived.response().getFlow()).isEqualTo(flow);
        assertThat(arrived.flowAsSent()).isEqualTo(flowBytes);
        assertThat(FlowRecords.fromHubble(arrived.response().getFlow(), arrived.flowAsSent(), "n").getHubbleFlow()).isEqualTo(flowBytes);
    }

    @Test
    void aFlowSentInPartsIsKeptAsTheParserMergesThem() throws Exception {
        Flow first = CLUSTER.next(1_700_000_000_000_000_000L);
        Flow second = Flow.newBuilder().setUuid("second").build();
        byte[] twoParts = GetFlowsResponse.newBuilder().setFlow(first).build().toByteString()
                .concat(GetFlowsResponse.newBuilder().setFlow(second).build().toByteString()).toByteArray();
        ArrivedResponse merged = parsed(twoParts);
        assertThat(merged.response()).isEqualTo(parsedByProtobuf(twoParts));
        assertThat(merged.response().getFlow().getUuid()).isEqualTo("second");
        assertThat(Flow.parseFrom(merged.flowAsSent())).isEqualTo(merged.response().getFlow());

        // Another member of the oneof between the parts: whatever the parser makes of it, the bytes say the same.
        byte[] between = GetFlowsResponse.newBuilder().setFlow(first).build().toByteString()
                .concat(GetFlowsResponse.newBuilder().setLostEvents(LostEvent.newBuilder().setNumEventsLost(3)).build().toByteString())
                .concat(GetFlowsResponse.newBuilder().setFlow(second).build().toByteString()).toByteArray();
        ArrivedResponse last = parsed(between);
        assertThat(last.response()).isEqualTo(parsedByProtobuf(between));
        assertThat(Flow.parseFrom(last.flowAsSent())).isEqualTo(last.response().getFlow());

        byte[] lost = GetFlowsResponse.newBuilder().setLostEvents(LostEvent.newBuilder().setNumEventsLost(3)).build().toByteArray();
        assertThat(parsed(lost).flowAsSent()).isEmpty();
    }

    @Test
    @Timeout(60)
    void mutatedResponsesParseAsProtobufParsesThemOrAreRefusedAsInternal() {
        Random random = new Random(7_003);
        byte[][] seeds = new byte[20][];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = GetFlowsResponse.newBuilder().setFlow(CLUSTER.next(1_700_000_000_000_000_000L + i)).setNodeName("n" + i).build().toByteArray();
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] wire = i % 10 == 0 ? Mutations.randomBytes(random, random.nextInt(400)) : Mutations.mutate(seeds[random.nextInt(seeds.length)], random);
            GetFlowsResponse expected;
            try {
                expected = GetFlowsResponse.parseFrom(wire);
            } catch (InvalidProtocolBufferException refused) {
                assertThatThrownBy(() -> parsed(wire)).as(Mutations.show(wire)).isInstanceOf(StatusRuntimeException.class);
                continue;
            }
            ArrivedResponse arrived = parsed(wire);
            assertThat(arrived.response()).as(Mutations.show(wire)).isEqualTo(expected);
            if (expected.hasFlow()) {
                assertThat(parsedFlow(arrived.flowAsSent())).as(Mutations.show(wire)).isEqualTo(expected.getFlow());
            }
        }
    }

    private static Flow parsedFlow(ByteString bytes) {
        try {
            return Flow.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static GetFlowsResponse parsedByProtobuf(byte[] wire) {
        try {
            return GetFlowsResponse.parseFrom(wire);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static ByteString varint(int value) {
        ByteString.Output out = ByteString.newOutput();
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
        return out.toByteString();
    }
}
