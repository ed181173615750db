package io.hubbletopology.ingest.replay;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.observer.GetFlowsResponse;

/**
 * The oracle for {@link ReplayLines}: the replay's former parser, on protobuf's own {@code JsonFormat}, kept as it
 * was so the streaming one can be compared with it line by line. It parses one line of {@code hubble observe -o json} / {@code -o jsonpb} output or of a Hubble exporter file:
 * a {@code GetFlowsResponse} per line, or (older CLIs, some exporters) a bare {@code Flow} per line.
 * Fields we do not declare are skipped; enum names we do not know (a newer Cilium's drop reason) are
 * dropped from the line and the rest of it kept, because a flow with an unknown drop reason is still a flow.
 */
final class JsonFormatReplayLines {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFormatReplayLines() {
    }

    /** The response on the line, or null for a blank line. */
    static GetFlowsResponse parse(String line) throws MalformedLineException {
        if (line.isBlank()) {
            return null;
        }
        GetFlowsResponse response = merge(line, GetFlowsResponse.newBuilder()).build();
        if (response.getResponseTypesCase() != GetFlowsResponse.ResponseTypesCase.RESPONSETYPES_NOT_SET) {
            return response;
        }
        // No flow, lost_events or node_status: a bare Flow per line, as older CLIs wrote it.
        Flow flow = merge(line, Flow.newBuilder()).build();
        if (flow.equals(Flow.getDefaultInstance())) {
            throw new MalformedLineException("neither a GetFlowsResponse nor a Flow");
        }
        return GetFlowsResponse.newBuilder().setFlow(flow).setNodeName(flow.getNodeName()).setTime(flow.getTime()).build();
    }

    private static <B extends Message.Builder> B merge(String line, B builder) throws MalformedLineException {
        try {
            PARSER.merge(line, builder);
            return builder;
        } catch (InvalidProtocolBufferException | RuntimeException first) {
            builder.clear();
            JsonNode tree;
            try {
                tree = JSON.readTree(line);
            } catch (Exception notJson) {
                throw new MalformedLineException("not JSON: " + firstLine(notJson.getMessage()));
            }
            if (!(tree instanceof ObjectNode object)) {
                throw new MalformedLineException("not a JSON object");
            }
            if (!dropUnknownEnums(object, builder.getDescriptorForType())) {
                throw new MalformedLineException(firstLine(first.getMessage()));
            }
            try {
                PARSER.merge(object.toString(), builder);
                return builder;
            } catch (InvalidProtocolBufferException | RuntimeException again) {
                throw new MalformedLineException(firstLine(again.getMessage()));
            }
        }
    }

    /** Removes enum values the descriptor does not name; true when it removed any. */
    static boolean dropUnknownEnums(ObjectNode object, Descriptor type) {
        boolean changed = false;
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            FieldDescriptor field = field(type, entry.getKey());
            if (field == null || field.isMapField()) {
                continue;
            }
            JsonNode value = entry.getValue();
            if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                EnumDescriptor e = field.getEnumType();
                if (value instanceof ArrayNode array) {
                    for (int i = array.size() - 1; i >= 0; i--) {
                        if (unknown(e, array.get(i))) {
                            array.remove(i);
                            changed = true;
                        }
                    }
                } else if (unknown(e, value)) {
                    fields.remove();
                    changed = true;
                }
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                Descriptor inner = field.getMessageType();
                if (value instanceof ObjectNode o) {
                    changed |= dropUnknownEnums(o, inner);
                } else if (value instanceof ArrayNode array) {
                    for (JsonNode item : array) {
                        if (item instanceof ObjectNode o) {
                            changed |= dropUnknownEnums(o, inner);
                        }
                    }
                }
            }
        }
        return changed;
    }

    private static FieldDescriptor field(Descriptor type, String jsonKey) {
        FieldDescriptor byName = type.findFieldByName(jsonKey);
        if (byName != null) {
            return byName;
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJsonName().equals(jsonKey)) {
                return f;
            }
        }
        return null;
    }

    private static boolean unknown(EnumDescriptor type, JsonNode value) {
        // Numbers are always accepted (proto3 enums are open); only names can be unknown.
        return value.isTextual() && type.findValueByName(value.asText()) == null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unparseable";
        }
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }
}
