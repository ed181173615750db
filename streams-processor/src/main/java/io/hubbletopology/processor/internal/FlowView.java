package io.hubbletopology.processor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;

import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L7Record;

/**
 * The processor's read view of a {@link FlowRecord}: the same record, not a second kind of flow, decoded for
 * what the topology reads of every flow. Parsing a FlowRecord builds every string, both endpoints with their
 * labels and DNS names, and copies {@code hubble_flow} (the whole Hubble flow, which the topology never reads):
 * most of the processor's CPU while it catches up. This reads the wire format once, refuses exactly what
 * FlowRecord's parser refuses (the same CodedInputStream reads, UTF-8 checks, unknown-field and nesting rules;
 * {@code FlowViewTest} holds it to that), keeps the scalars and the few strings read on every flow, and builds an
 * endpoint's {@link EndpointRef} only when asked: when an edge window or a workload sighting needs its name.
 * <p>
 * Field numbers are FlowRecord's (records.proto); a field the topology does not read is checked and skipped.
 * A field added to the proto that the topology is to read needs a case here, which FlowViewTest asks for.
 */
final class FlowView {

    /** CodedInputStream's default: a nested message is read with one level fewer, as its parser does. */
    private static final int RECURSION_LIMIT = 100;

    private final byte[] bytes;
    private long timeUnixNanos;
    private String nodeName = "";
    private int verdict;
    private int dropReason;
    private Endpoint source;
    private Endpoint destination;
    private int protocol;
    private int sourcePort;
    private int destinationPort;
    private int tcpFlags;
    private boolean reply;
    private boolean encrypted;
    private L7Record l7;
    private L7Record.Builder l7Builder;

    private FlowView(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The serde of the flows topic as the topology reads it; it serialises a view as the bytes it was read from. */
    static Serde<FlowView> serde() {
        Serializer<FlowView> serializer = (topic, view) -> view == null ? null : view.bytes;
        Deserializer<FlowView> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return read(bytes);
            } catch (IOException e) {
                throw new SerializationException("not a valid record on " + topic + ": " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** Reads a serialised FlowRecord; throws where {@code FlowRecord.parseFrom(bytes)} throws. */
    static FlowView read(byte[] bytes) throws IOException {
        FlowView f = new FlowView(bytes);
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int tag;
        while ((tag = in.readTag()) != 0 && f.field(in, tag)) {
            // each field read by field()
        }
        // What parseFrom(byte[]) checks after parsing: the value ended where a message may end.
        in.checkLastTagWas(0);
        if (f.l7Builder != null) {
            f.l7 = f.l7Builder.build();
            f.l7Builder = null;
        }
        return f;
    }

    /** Reads one field; false at an end-group tag, which ends the message (and makes it invalid). */
    private boolean field(CodedInputStream in, int tag) throws IOException {
        switch (tag) {
            case 8 -> timeUnixNanos = in.readInt64();
            case 18 -> nodeName = string(in, bytes, 0);
            case 24 -> verdict = in.readEnum();
            case 32 -> dropReason = in.readEnum();
            case 42 -> source = Endpoint.read(in, bytes, source);
            case 50 -> destination = Endpoint.read(in, bytes, destination);
            case 56 -> protocol = in.readEnum();
            case 64 -> sourcePort = in.readUInt32();
            case 72 -> destinationPort = in.readUInt32();
            case 80 -> tcpFlags = in.readUInt32();
            case 88 -> reply = in.readBool();
            // traffic_direction, type: not read by the topology
            case 96, 128 -> in.readEnum();
            case 104 -> encrypted = in.readBool();
            case 114 -> l7Builder = l7(in, bytes, l7Builder);
            // uuid, summary: checked, not read
            case 122, 138 -> skipString(in, bytes, 0);
            // hubble_flow: bytes, nothing to check inside
            case 146 -> in.skipRawBytes(in.readRawVarint32());
            default -> {
                return unknown(in, tag);
            }
        }
        return true;
    }

    long timeUnixNanos() {
        return timeUnixNanos;
    }

    String nodeName() {
        return nodeName;
    }

    int verdict() {
        return verdict;
    }

    int dropReason() {
        return dropReason;
    }

    /** Null when the flow has no source endpoint. */
    Endpoint source() {
        return source;
    }

    /** Null when the flow has no destination endpoint. */
    Endpoint destination() {
        return destination;
    }

    int protocol() {
        return protocol;
    }

    int sourcePort() {
        return sourcePort;
    }

    int destinationPort() {
        return destinationPort;
    }

    int tcpFlags() {
        return tcpFlags;
    }

    /** Whether Hubble marked the flow as a reply ({@code EdgeKey.isReply}: unset counts as a request). */
    boolean reply() {
        return reply;
    }

    boolean encrypted() {
        return encrypted;
    }

    /** Null when the flow has no L7 record. */
    L7Record l7() {
        return l7;
    }

    /**
     * One endpoint of the flow: cluster, namespace, pod and identity (what every flow is looked up by), and the
     * bytes it was read from, for the whole {@link EndpointRef} when a name is to be derived.
     */
    static final class Endpoint {
        private final byte[] bytes;
        // Offset and length of each occurrence in the record: a message field given twice is merged.
        private int[] ranges = new int[2];
        private int occurrences;
        private String cluster = "";
        private String namespace = "";
        private String pod = "";
        private int identity;
        private EndpointRef ref;

        private Endpoint(byte[] bytes) {
            this.bytes = bytes;
        }

        private static Endpoint read(CodedInputStream record, byte[] bytes, Endpoint seen) throws IOException {
            int length = record.readRawVarint32();
            int at = record.getTotalBytesRead();
            record.skipRawBytes(length);
            Endpoint e = seen != null ? seen : new Endpoint(bytes);
            e.merge(at, length);
            return e;
        }

        private void merge(int at, int length) throws IOException {
            if (occurrences * 2 == ranges.length) {
                ranges = Arrays.copyOf(ranges, ranges.length * 2);
            }
            ranges[occurrences * 2] = at;
            ranges[occurrences * 2 + 1] = length;
            occurrences++;
            CodedInputStream in = nested(bytes, at, length);
            int tag;
            while ((tag = in.readTag()) != 0 && field(in, tag, at)) {
                // each field read by field()
            }
            in.checkLastTagWas(0);
        }

        private boolean field(CodedInputStream in, int tag, int at) throws IOException {
            switch (tag) {
                case 10 -> cluster = string(in, bytes, at);
                case 18 -> namespace = string(in, bytes, at);
                case 26 -> pod = string(in, bytes, at);
                case 48 -> identity = in.readUInt32();
                // workload kind and name, ip, labels, DNS names, service: checked, read with the whole endpoint
                case 34, 42, 58, 66, 74, 82 -> skipString(in, bytes, at);
                default -> {
                    return unknown(in, tag);
                }
            }
            return true;
        }

        String cluster() {
            return cluster;
        }

        String namespace() {
            return namespace;
        }

        String pod() {
            return pod;
        }

        int identity() {
            return identity;
        }

        /** The whole endpoint, labels and DNS names too, parsed at the first call. */
        EndpointRef ref() {
            if (ref == null) {
                EndpointRef.Builder b = EndpointRef.newBuilder();
                try {
                    for (int i = 0; i < occurrences; i++) {
                        b.mergeFrom(bytes, ranges[i * 2], ranges[i * 2 + 1]);
                    }
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("an endpoint checked when its flow was read no longer parses", e);
                }
                ref = b.build();
            }
            return ref;
        }
    }

    private static L7Record.Builder l7(CodedInputStream record, byte[] bytes, L7Record.Builder seen) throws IOException {
        int length = record.readRawVarint32();
        int at = record.getTotalBytesRead();
        record.skipRawBytes(length);
        L7Record.Builder b = seen != null ? seen : L7Record.newBuilder();
        CodedInputStream in = nested(bytes, at, length);
        b.mergeFrom(in);
        in.checkLastTagWas(0);
        return b;
    }

    /** A message field's bytes, read as its parser reads them: one nesting level down. */
    private static CodedInputStream nested(byte[] bytes, int at, int length) {
        CodedInputStream in = CodedInputStream.newInstance(bytes, at, length);
        in.setRecursionLimit(RECURSION_LIMIT - 1);
        return in;
    }

    /** A field FlowRecord does not declare, or one with another wire type: read as its parser reads it. */
    private static boolean unknown(CodedInputStream in, int tag) throws IOException {
        return UnknownFieldSet.newBuilder().mergeFieldFrom(tag, in);
    }

    private static String string(CodedInputStream in, byte[] bytes, int base) throws IOException {
        int length = in.readRawVarint32();
        int at = base + in.getTotalBytesRead();
        in.skipRawBytes(length);
        checkUtf8(bytes, at, length);
        return new String(bytes, at, length, StandardCharsets.UTF_8);
    }

    private static void skipString(CodedInputStream in, byte[] bytes, int base) throws IOException {
        int length = in.readRawVarint32();
        int at = base + in.getTotalBytesRead();
        in.skipRawBytes(length);
        checkUtf8(bytes, at, length);
    }

    /** proto3 strings are UTF-8: what the parser refuses as a string, so does this. */
    private static void checkUtf8(byte[] bytes, int at, int length) throws InvalidProtocolBufferException {
        for (int i = at; i < at + length; i++) {
            if (bytes[i] < 0) {
                if (!UnsafeByteOperations.unsafeWrap(bytes, at, length).isValidUtf8()) {
                    throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
                }
                return;
            }
        }
    }
}
