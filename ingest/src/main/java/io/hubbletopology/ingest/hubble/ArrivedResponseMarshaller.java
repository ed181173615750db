package io.hubbletopology.ingest.hubble;

import java.io.IOException;
import java.io.InputStream;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.hubble.observer.ObserverGrpc;

/**
 * Decodes {@code GetFlows} responses into {@link ArrivedResponse}s: the message as protobuf's own marshaller
 * would parse it, plus a view (no copy) of the {@code flow} field's bytes in the same buffer.
 */
final class ArrivedResponseMarshaller implements MethodDescriptor.Marshaller<ArrivedResponse> {

    /** {@code GetFlowsResponse.flow}: field 1, length-delimited. */
    private static final int FLOW_TAG = GetFlowsResponse.FLOW_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    /** {@code Observer/GetFlows} with this marshaller for its responses; requests are encoded as the stub does. */
    static final MethodDescriptor<GetFlowsRequest, ArrivedResponse> GET_FLOWS =
            ObserverGrpc.getGetFlowsMethod().toBuilder(ObserverGrpc.getGetFlowsMethod().getRequestMarshaller(),
                    new ArrivedResponseMarshaller()).build();

    @Override
    public InputStream stream(ArrivedResponse value) {
        // Only the server side encodes responses; the agent is a client.
        return value.response().toByteString().newInput();
    }

    @Override
    public ArrivedResponse parse(InputStream stream) {
        try {
            return parse(readAll(stream));
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("Invalid GetFlowsResponse: " + e.getMessage()).withCause(e).asRuntimeException();
        }
    }

    static ArrivedResponse parse(byte[] bytes) throws InvalidProtocolBufferException {
        GetFlowsResponse response = GetFlowsResponse.parseFrom(bytes);
        return new ArrivedResponse(response, flowField(bytes));
    }

    /**
     * The bytes of every {@code flow} field in order. A field sent twice is merged by the parser (protobuf-java
     * merges them even with another member of the oneof between), and the concatenation of the two encodings
     * is the encoding of that merge, so the two stay the same flow; ArrivedResponseMarshallerTest checks this
     * against the parser on mutated responses.
     */
    private static ByteString flowField(byte[] bytes) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        ByteString flow = ByteString.EMPTY;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == FLOW_TAG) {
                    int length = in.readRawVarint32();
                    flow = flow.concat(UnsafeByteOperations.unsafeWrap(bytes, in.getTotalBytesRead(), length));
                    in.skipRawBytes(length);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        return flow;
    }

    private static byte[] readAll(InputStream stream) throws IOException {
        if (stream instanceof KnownLength) {
            int size = stream.available();
            byte[] bytes = new byte[size];
            int read = stream.readNBytes(bytes, 0, size);
            if (read == size && stream.read() == -1) {
                return bytes;
            }
            throw new IOException("message shorter or longer than its stated " + size + " bytes");
        }
        return stream.readAllBytes();
    }
}
