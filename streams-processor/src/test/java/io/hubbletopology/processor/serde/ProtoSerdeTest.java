package io.hubbletopology.processor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;

class ProtoSerdeTest {

    private final Deserializer<FlowRecord> flows = ProtoSerde.flows().deserializer();

    @Test
    void decodesARecordWithItsHubbleFlowBytesIntact() {
        FlowRecord record = FlowRecord.newBuilder().setTimeUnixNanos(1_700_000_000_000_000_000L).setNodeName("node-1")
                .setSource(EndpointRef.newBuilder().setPod("web-0")).setHubbleFlow(ByteString.copyFromUtf8("the flow as Hubble sent it"))
                .build();
        byte[] value = record.toByteArray();
        FlowRecord decoded = flows.deserialize("hubble.flows", value);
        assertThat(decoded).isEqualTo(record);
        assertThat(decoded.getHubbleFlow().toStringUtf8()).isEqualTo("the flow as Hubble sent it");
    }

    @Test
    void refusesBytesThatEndInAStrayEndGroupTagAsParsingAnArrayWould() {
        byte[] record = FlowRecord.newBuilder().setNodeName("node-1").build().toByteArray();
        byte[] strayEnd = java.util.Arrays.copyOf(record, record.length + 1);
        strayEnd[record.length] = 0x0C; // field 1, wire type 4: end group
        assertThatThrownBy(() -> flows.deserialize("hubble.flows", strayEnd)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("hubble.flows");
    }
}
