package io.hubbletopology.processor.serde;

import org.apache.kafka.common.errors.SerializationException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;

import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.LinkStateRecord;

/** A serde for our protobuf topic records (the topology reads flows through their read view, {@code FlowView}). */
public final class ProtoSerde<T extends MessageLite> extends CodecSerde<T> {

    private ProtoSerde(Parser<T> parser) {
        super(MessageLite::toByteArray, (topic, bytes) -> parse(parser, topic, bytes));
    }

    public static ProtoSerde<FlowRecord> flows() {
        return new ProtoSerde<>(FlowRecord.parser());
    }

    public static ProtoSerde<LinkStateRecord> links() {
        return new ProtoSerde<>(LinkStateRecord.parser());
    }

    private static <T extends MessageLite> T parse(Parser<T> parser, String topic, byte[] bytes) {
        try {
            // Aliasing: a bytes field (FlowRecord.hubble_flow, the whole Hubble flow) becomes a view of the
            // record's array instead of a copy; protobuf aliases only a buffer it is told is immutable, hence
            // unsafeWrap. The array is Kafka's, fresh per record and not changed after.
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
            in.enableAliasing(true);
            T record = parser.parseFrom(in);
            // What parseFrom(byte[]) checks after parsing: the value ended where a message may end.
            in.checkLastTagWas(0);
            return record;
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("not a valid record on " + topic + ": " + e.getMessage(), e);
        }
    }
}
