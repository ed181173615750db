package io.hubbletopology.ingest.replay;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.Message;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.observer.GetFlowsResponse;

/**
 * Parses one line of {@code hubble observe -o json} / {@code -o jsonpb} output or of a Hubble exporter file:
 * a {@code GetFlowsResponse} per line, or (older CLIs, some exporters) a bare {@code Flow} per line.
 * Fields we do not declare are skipped; enum names we do not know (a newer Cilium's drop reason) are
 * dropped from the line and the rest of it kept, because a flow with an unknown drop reason is still a flow.
 */
final class ReplayLines {

    private static final ProtoJsonReader READER = new ProtoJsonReader(GetFlowsResponse.getDescriptor());

    private ReplayLines() {
    }

    /** The text of a line, merged into a builder: a String or the line's bytes. */
    private interface Line {
        void mergeInto(Message.Builder builder) throws MalformedLineException;
    }

    /** The response on the line, or null for a blank line. */
    static GetFlowsResponse parse(String line) throws MalformedLineException {
        if (line.isBlank()) {
            return null;
        }
        return parse(builder -> READER.merge(line, builder));
    }

    /**
     * The response on a line of UTF-8 bytes (its line end removed), or null for a blank line; a line of more than
     * {@code maxChars} characters is refused. Read as {@link #parse(String)} reads the line's text: printable ASCII
     * (nearly every Hubble line) straight from the bytes, anything else decoded first, malformed UTF-8 as U+FFFD.
     */
    static GetFlowsResponse parse(byte[] line, int offset, int length, int maxChars) throws MalformedLineException {
        if (!printableAscii(line, offset, length)) {
            String text = new String(line, offset, length, StandardCharsets.UTF_8);
            if (text.length() > maxChars) {
                throw tooLong(maxChars);
            }
            return parse(text);
        }
        if (length > maxChars) {
            throw tooLong(maxChars);
        }
        if (blank(line, offset, length)) {
            return null;
        }
        return parse(builder -> READER.merge(line, offset, length, builder));
    }

    static MalformedLineException tooLong(int maxChars) {
        return new MalformedLineException("line longer than " + maxChars + " characters");
    }

    private static GetFlowsResponse parse(Line line) throws MalformedLineException {
        GetFlowsResponse.Builder builder = GetFlowsResponse.newBuilder();
        line.mergeInto(builder);
        GetFlowsResponse response = builder.build();
        if (response.getResponseTypesCase() != GetFlowsResponse.ResponseTypesCase.RESPONSETYPES_NOT_SET) {
            return response;
        }
        // No flow, lost_events or node_status: a bare Flow per line, as older CLIs wrote it.
        Flow.Builder bare = Flow.newBuilder();
        line.mergeInto(bare);
        Flow flow = bare.build();
        if (flow.equals(Flow.getDefaultInstance())) {
            throw new MalformedLineException("neither a GetFlowsResponse nor a Flow");
        }
        return GetFlowsResponse.newBuilder().setFlow(flow).setNodeName(flow.getNodeName()).setTime(flow.getTime()).build();
    }

    /** Tab and space to tilde: bytes that are the same characters in every reading (no NUL to guess UTF-16 from). */
    private static boolean printableAscii(byte[] line, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = line[i];
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(byte[] line, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
