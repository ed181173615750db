package io.hubbletopology.ingest.replay;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.io.BaseEncoding;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DoubleValue;
import com.google.protobuf.FloatValue;
import com.google.protobuf.GeneratedMessage;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;

/**
 * Reads proto3 JSON (the form {@code hubble observe -o json} writes) straight into protobuf builders, one token at
 * a time, walking the messages' descriptors: no JSON tree and no second pass, which is what made protobuf's
 * {@code JsonFormat} four times slower than the same flows over gRPC.
 *
 * <p>It gives what {@code JsonFormat.parser().ignoringUnknownFields()} gives for every well-formed line: both the
 * proto field name and the lowerCamelCase JSON name, enums by name or number (an unknown number kept as such, an
 * unknown name dropped), 64-bit integers as strings or numbers, integral floats ({@code 1.0}, {@code 1e2}) for
 * integers, RFC 3339 Timestamps, wrappers as bare values, bytes as base64, oneofs, repeated fields, {@code null}
 * as absence, unknown fields skipped. Where {@code JsonFormat} is lenient beyond JSON (Gson's comments, single
 * quotes, trailing text, a one-element array read as its element, the same key twice) this reader refuses the line
 * with a reason instead: such a line is corrupt, not a newer Hubble's.
 *
 * <pre>{@code
 * ProtoJsonReader reader = new ProtoJsonReader(GetFlowsResponse.getDescriptor());
 * GetFlowsResponse response = reader.merge(line, GetFlowsResponse.newBuilder()).build();
 * }</pre>
 */
final class ProtoJsonReader {

    // As JsonFormat's default; our schemas are not recursive, so it only bounds a hand-made descriptor.
    private static final int MAX_DEPTH = 100;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Map<Descriptor, MessageFields> messages = new HashMap<>();
    private final Map<EnumDescriptor, Map<String, EnumValueDescriptor>> enumNames = new HashMap<>();
    private final Map<Descriptor, WellKnown> wellKnown = new HashMap<>();

    /** Prepares the field tables of every message reachable from the roots; refuses types it does not read. */
    ProtoJsonReader(Descriptor... roots) {
        for (Descriptor root : roots) {
            prepare(root);
        }
    }

    /** The names a message's fields go by in JSON (proto name and JSON name), and how many fields it has. */
    private record MessageFields(Map<String, FieldDescriptor> byName, int count) {
    }

    private void prepare(Descriptor type) {
        if (messages.containsKey(type) || wellKnown.containsKey(type)) {
            return;
        }
        WellKnown special = WellKnown.of(type);
        wellKnown.put(type, special);
        if (special != WellKnown.NONE) {
            return;
        }
        if (type.getFullName().startsWith("google.protobuf.")) {
            throw new IllegalArgumentException("no JSON reading for " + type.getFullName());
        }
        Map<String, FieldDescriptor> byName = new HashMap<>();
        for (FieldDescriptor field : type.getFields()) {
            byName.put(field.getName(), field);
            byName.put(field.getJsonName(), field);
        }
        messages.put(type, new MessageFields(Map.copyOf(byName), type.getFields().size()));
        for (FieldDescriptor field : type.getFields()) {
            if (field.isMapField()) {
                throw new IllegalArgumentException("no JSON reading for map field " + field.getFullName());
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                enumNames.computeIfAbsent(field.getEnumType(), ProtoJsonReader::namesOf);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                prepare(field.getMessageType());
            }
        }
    }

    private static Map<String, EnumValueDescriptor> namesOf(EnumDescriptor type) {
        Map<String, EnumValueDescriptor> names = new HashMap<>();
        for (EnumValueDescriptor value : type.getValues()) {
            names.put(value.getName(), value);
        }
        return Map.copyOf(names);
    }

    /** Merges the JSON object in {@code json} into {@code builder}; the line must hold that one object and nothing else. */
    <B extends Message.Builder> B merge(String json, B builder) throws MalformedLineException {
        checkUnicodeEscapes(json);
        try (JsonParser parser = JSON.createParser(json)) {
            return merge(parser, builder);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /**
     * As {@link #merge(String, Message.Builder)}, from the UTF-8 bytes of a line, which Jackson reads without a
     * {@code String} and a {@code char[]} copy of it. {@link ReplayLines} hands it printable ASCII only (nearly
     * every Hubble line) and decodes the rest as before: on bytes Jackson refuses malformed UTF-8, which the replay
     * has always read as U+FFFD, and takes NUL bytes for a sign of UTF-16 or UTF-32.
     */
    <B extends Message.Builder> B merge(byte[] json, int offset, int length, B builder) throws MalformedLineException {
        // No checkUnicodeEscapes here: ReplayLines hands this path printable ASCII lines only, which have no
        // character whose high byte Jackson could drop.
        try (JsonParser parser = JSON.createParser(json, offset, length)) {
            return merge(parser, builder);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private <B extends Message.Builder> B merge(JsonParser parser, B builder) throws IOException, MalformedLineException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedLineException("not a JSON object");
        }
        readMessage(parser, builder, builder.getDescriptorForType(), 0);
        if (parser.nextToken() != null) {
            throw new MalformedLineException("text after the JSON object at column " + parser.currentLocation().getColumnNr());
        }
        return builder;
    }

    private static MalformedLineException notJson(IOException e) {
        if (e instanceof JsonProcessingException json) {
            return new MalformedLineException("not JSON: " + json.getOriginalMessage()
                    + (json.getLocation() == null ? "" : " at column " + json.getLocation().getColumnNr()));
        }
        return new MalformedLineException("not JSON: " + e.getMessage());
    }

    /**
     * Refuses a backslash-u escape whose four characters are not all ASCII hex digits. Jackson reads only the low byte
     * of each, so "0", U+2A45, "0", "3" would pass as 0E03 (a fuzz test found it); JSON and JsonFormat refuse it.
     */
    private static void checkUnicodeEscapes(String json) throws MalformedLineException {
        // Each backslash escapes the character after it: stepping by two keeps an escaped backslash before a 'u' apart.
        for (int i = json.indexOf('\\'); i >= 0 && i + 1 < json.length(); i = json.indexOf('\\', i + 2)) {
            if (json.charAt(i + 1) != 'u') {
                continue;
            }
            for (int k = i + 2; k < i + 6; k++) {
                if (k >= json.length() || !asciiHex(json.charAt(k))) {
                    throw new MalformedLineException("not JSON: a unicode escape without four hex digits at column " + (i + 1));
                }
            }
        }
    }

    private static boolean asciiHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Reads the fields of an object whose START_OBJECT was just read, up to its END_OBJECT. */
    private void readMessage(JsonParser parser, Message.Builder builder, Descriptor type, int depth)
            throws IOException, MalformedLineException {
        MessageFields fields = messages.get(type);
        boolean[] seen = new boolean[fields.count()];
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken token = parser.nextToken();
            FieldDescriptor field = fields.byName().get(name);
            if (field == null) {
                parser.skipChildren();
                continue;
            }
            if (seen[field.getIndex()]) {
                throw new MalformedLineException("field " + field.getFullName() + " appears twice");
            }
            seen[field.getIndex()] = true;
            if (field.isRepeated()) {
                readRepeated(parser, token, builder, field, depth);
                continue;
            }
            if (field.getRealContainingOneof() != null && builder.hasOneof(field.getRealContainingOneof())) {
                throw new MalformedLineException("field " + field.getFullName() + " and "
                        + builder.getOneofFieldDescriptor(field.getRealContainingOneof()).getName() + " are of one oneof");
            }
            if (token == JsonToken.VALUE_NULL) {
                continue;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && wellKnown.get(field.getMessageType()) == WellKnown.NONE
                    && builder instanceof GeneratedMessage.Builder<?>) {
                // Filled in place rather than built apart and copied in.
                readNested(parser, token, builder.getFieldBuilder(field), field, depth);
                continue;
            }
            Object value = value(parser, token, builder, field, depth);
            if (value != null) {
                builder.setField(field, value);
            }
        }
    }

    private void readRepeated(JsonParser parser, JsonToken token, Message.Builder builder, FieldDescriptor field, int depth)
            throws IOException, MalformedLineException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new MalformedLineException("field " + field.getFullName() + " is repeated: expected an array, found " + describe(token));
        }
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new MalformedLineException("field " + field.getFullName() + ": the line ends inside its array");
            }
            Object value = token == JsonToken.VALUE_NULL ? null : value(parser, token, builder, field, depth);
            if (value != null) {
                builder.addRepeatedField(field, value);
            } else if (field.getJavaType() != FieldDescriptor.JavaType.ENUM) {
                throw new MalformedLineException("field " + field.getFullName() + " has a null element");
            }
        }
    }

    /** The value of one field (or one element of a repeated field); null for an enum name we do not know. */
    private Object value(JsonParser parser, JsonToken token, Message.Builder builder, FieldDescriptor field, int depth)
            throws IOException, MalformedLineException {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return message(parser, token, builder, field, depth);
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            throw new MalformedLineException("field " + field.getFullName() + " expects a value of type " + field.getType().name().toLowerCase()
                    + ", found " + describe(token));
        }
        return JsonScalars.read(parser, token, field, field.getJavaType() == FieldDescriptor.JavaType.ENUM ? enumNames.get(field.getEnumType()) : null);
    }

    private Object message(JsonParser parser, JsonToken token, Message.Builder builder, FieldDescriptor field, int depth)
            throws IOException, MalformedLineException {
        Descriptor type = field.getMessageType();
        WellKnown special = wellKnown.get(type);
        if (special != WellKnown.NONE) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                throw new MalformedLineException("field " + field.getFullName() + " (" + type.getName() + ") expects a bare value, found "
                        + describe(token));
            }
            return special.read(parser, token, field);
        }
        Message.Builder inner = builder.newBuilderForField(field);
        readNested(parser, token, inner, field, depth);
        return inner.build();
    }

    private void readNested(JsonParser parser, JsonToken token, Message.Builder inner, FieldDescriptor field, int depth)
            throws IOException, MalformedLineException {
        if (token != JsonToken.START_OBJECT) {
            throw new MalformedLineException("field " + field.getFullName() + " expects an object, found " + describe(token));
        }
        if (depth >= MAX_DEPTH) {
            throw new MalformedLineException("messages nested deeper than " + MAX_DEPTH);
        }
        readMessage(parser, inner, field.getMessageType(), depth + 1);
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /** The well-known types whose JSON form is a bare value rather than an object. */
    private enum WellKnown {
        NONE(null, null),
        TIMESTAMP(Timestamp.getDescriptor(), null),
        BOOL(BoolValue.getDescriptor(), FieldDescriptor.Type.BOOL),
        INT32(Int32Value.getDescriptor(), FieldDescriptor.Type.INT32),
        UINT32(UInt32Value.getDescriptor(), FieldDescriptor.Type.UINT32),
        INT64(Int64Value.getDescriptor(), FieldDescriptor.Type.INT64),
        UINT64(UInt64Value.getDescriptor(), FieldDescriptor.Type.UINT64),
        FLOAT(FloatValue.getDescriptor(), FieldDescriptor.Type.FLOAT),
        DOUBLE(DoubleValue.getDescriptor(), FieldDescriptor.Type.DOUBLE),
        STRING(StringValue.getDescriptor(), FieldDescriptor.Type.STRING),
        BYTES(BytesValue.getDescriptor(), FieldDescriptor.Type.BYTES);

        private static final List<WellKnown> ALL = List.of(values());
        private final Descriptor type;
        private final FieldDescriptor valueField;

        WellKnown(Descriptor type, FieldDescriptor.Type valueType) {
            this.type = type;
            this.valueField = valueType == null ? null : type.findFieldByName("value");
        }

        static WellKnown of(Descriptor type) {
            for (WellKnown known : ALL) {
                if (known.type != null && known.type.getFullName().equals(type.getFullName())) {
                    return known;
                }
            }
            return NONE;
        }

        Object read(JsonParser parser, JsonToken token, FieldDescriptor field) throws IOException, MalformedLineException {
            if (this == TIMESTAMP) {
                return JsonTimestamps.parse(parser.getText(), field);
            }
            Object value = JsonScalars.read(parser, token, valueField, null);
            return switch (this) {
                case BOOL -> BoolValue.of((Boolean) value);
                case INT32 -> Int32Value.of((Integer) value);
                case UINT32 -> UInt32Value.of((Integer) value);
                case INT64 -> Int64Value.of((Long) value);
                case UINT64 -> UInt64Value.of((Long) value);
                case FLOAT -> FloatValue.of((Float) value);
                case DOUBLE -> DoubleValue.of((Double) value);
                case STRING -> StringValue.of((String) value);
                case BYTES -> BytesValue.of((ByteString) value);
                default -> throw new IllegalStateException(name());
            };
        }
    }

    /** Decodes base64 as JsonFormat does: the standard alphabet, else the URL-safe one. */
    static ByteString base64(String text, FieldDescriptor field) throws MalformedLineException {
        try {
            return ByteString.copyFrom(BaseEncoding.base64().decode(text));
        } catch (IllegalArgumentException standard) {
            try {
                return ByteString.copyFrom(BaseEncoding.base64Url().decode(text));
            } catch (IllegalArgumentException urlSafe) {
                throw new MalformedLineException("field " + field.getFullName() + " is not base64");
            }
        }
    }
}
