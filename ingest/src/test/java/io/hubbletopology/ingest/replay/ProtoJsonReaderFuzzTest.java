package io.hubbletopology.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.testing.RandomMessages;

/**
 * The streaming reader against protobuf's own {@code JsonFormat} (the oracle) on random messages generated from
 * the descriptors of {@code GetFlowsResponse} and {@code flow.Flow}: printed by {@code JsonFormat} in both naming
 * styles, compact and pretty, with and without default values; then varied the ways real files vary (keys in the
 * other naming style, unknown fields, numbers quoted or not, enums by number, enum names we do not know). Each
 * text is read by both, and the two messages must be equal.
 */
class ProtoJsonReaderFuzzTest {

    private static final long SEED = 14_001;
    private static final int ITERATIONS = 1_500;
    private static final JsonFormat.Parser ORACLE = JsonFormat.parser().ignoringUnknownFields();
    private static final List<JsonFormat.Printer> PRINTERS = List.of(
            JsonFormat.printer().omittingInsignificantWhitespace(),
            JsonFormat.printer().omittingInsignificantWhitespace().preservingProtoFieldNames(),
            JsonFormat.printer().preservingProtoFieldNames(),
            JsonFormat.printer().omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence(),
            JsonFormat.printer().omittingInsignificantWhitespace().preservingProtoFieldNames().printingEnumsAsInts());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProtoJsonReader reader = new ProtoJsonReader(GetFlowsResponse.getDescriptor(), Flow.getDescriptor());

    @Test
    @Timeout(120)
    void randomMessagesPrintedByJsonFormatAreReadAsJsonFormatReadsThem() throws Exception {
        Random random = new Random(SEED);
        RandomMessages messages = new RandomMessages(random);
        for (int i = 0; i < ITERATIONS; i++) {
            Message.Builder template = i % 2 == 0 ? GetFlowsResponse.newBuilder() : Flow.newBuilder();
            Message original = messages.fill(template).build();
            String json = PRINTERS.get(random.nextInt(PRINTERS.size())).print(original);
            Message ours = read(json, original.newBuilderForType(), i);
            assertThat(ours).as("iteration %d (seed %d): %s", i, SEED, json).isEqualTo(oracle(json, original.newBuilderForType()));
            assertThat(ours).as("iteration %d: the message printed", i).isEqualTo(original);
        }
    }

    @Test
    @Timeout(120)
    void keysInEitherStyleUnknownFieldsQuotedNumbersAndUnknownEnumNamesAreReadAsJsonFormatReadsThem() throws Exception {
        Random random = new Random(SEED + 1);
        RandomMessages messages = new RandomMessages(random);
        int unknownNames = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Message original = messages.fill(GetFlowsResponse.newBuilder()).build();
            ObjectNode tree = (ObjectNode) JSON.readTree(PRINTERS.get(random.nextInt(PRINTERS.size())).print(original));
            Variation variation = new Variation(random);
            String json = JSON.writeValueAsString(variation.vary(tree, GetFlowsResponse.getDescriptor()));
            unknownNames += variation.unknownEnumNames;
            Message expected = oracle(json, GetFlowsResponse.newBuilder());
            assertThat(read(json, GetFlowsResponse.newBuilder(), i)).as("iteration %d (seed %d): %s", i, SEED + 1, json).isEqualTo(expected);
        }
        assertThat(unknownNames).as("enum names we do not declare, tried").isGreaterThan(ITERATIONS / 10);
    }

    @Test
    void theCaptureAndSimulatedClusterLinesAreReadAsTheFormerJsonFormatParserReadThem() throws Exception {
        List<String> lines = new ArrayList<>(captureLines());
        SyntheticCluster cluster = new SyntheticCluster(5);
        JsonFormat.Printer hubble = JsonFormat.printer().omittingInsignificantWhitespace().preservingProtoFieldNames();
        for (int i = 0; i < 500; i++) {
            Flow flow = cluster.next(1_795_248_000_000_000_000L + i * 1_000_003L);
            lines.add(hubble.print(GetFlowsResponse.newBuilder().setFlow(flow).setNodeName(flow.getNodeName()).setTime(flow.getTime()).build()));
            lines.add(JsonFormat.printer().omittingInsignificantWhitespace().print(flow));
        }
        for (String line : lines) {
            assertThat(ReplayLines.parse(line)).as(line).isEqualTo(JsonFormatReplayLines.parse(line));
        }
        assertThat(lines).hasSizeGreaterThan(1_000);
    }

    static List<String> captureLines() throws Exception {
        try (InputStream in = ProtoJsonReaderFuzzTest.class.getResourceAsStream("/replay/star-wars-observe.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /**
     * The text read as a String and, the same, as its UTF-8 bytes (as the replay reads a line), unless it holds an
     * unpaired surrogate, which has no UTF-8 form (and cannot come from a file).
     */
    private Message read(String json, Message.Builder builder, int iteration) {
        try {
            byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
            Message fromBytes = reader.merge(utf8, 0, utf8.length, builder.clone()).build();
            Message fromText = reader.merge(json, builder).build();
            if (new String(utf8, StandardCharsets.UTF_8).equals(json)) {
                assertThat(fromBytes).as("iteration %d, read from its bytes: %s", iteration, json).isEqualTo(fromText);
            }
            return fromText;
        } catch (MalformedLineException e) {
            throw new AssertionError("iteration " + iteration + ": refused (" + e.getMessage() + ") " + json, e);
        }
    }

    private static Message oracle(String json, Message.Builder builder) throws Exception {
        ORACLE.merge(json, builder);
        return builder.build();
    }

    /** Rewrites a printed message the ways other writers and newer Hubbles write it, keeping its meaning. */
    private static final class Variation {
        private final Random random;
        int unknownEnumNames;

        Variation(Random random) {
            this.random = random;
        }

        ObjectNode vary(ObjectNode object, Descriptor type) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            object.fields().forEachRemaining(entries::add);
            ObjectNode varied = JsonNodeFactory.instance.objectNode();
            List<String> keys = new ArrayList<>();
            List<JsonNode> values = new ArrayList<>();
            for (Map.Entry<String, JsonNode> entry : entries) {
                FieldDescriptor field = field(type, entry.getKey());
                keys.add(random.nextBoolean() ? field.getName() : field.getJsonName());
                values.add(field.isRepeated() ? elements((ArrayNode) entry.getValue(), field) : value(entry.getValue(), field));
            }
            int unknown = random.nextInt(3);
            for (int i = 0; i < unknown; i++) {
                keys.add("future_field_" + i);
                values.add(unknownValue());
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            for (int i : order) {
                varied.set(keys.get(i), values.get(i));
            }
            return varied;
        }

        private ArrayNode elements(ArrayNode array, FieldDescriptor field) {
            ArrayNode varied = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> varied.add(value(element, field)));
            return varied;
        }

        private JsonNode value(JsonNode value, FieldDescriptor field) {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            switch (field.getJavaType()) {
                case MESSAGE:
                    return value instanceof ObjectNode object ? vary(object, field.getMessageType()) : value;
                case ENUM:
                    int pick = random.nextInt(8);
                    if (pick == 0) {
                        unknownEnumNames++;
                        return nodes.textNode("NOT_DECLARED_" + random.nextInt(100));
                    }
                    if (pick == 1 && value.isTextual()) {
                        return nodes.numberNode(field.getEnumType().findValueByName(value.asText()).getNumber());
                    }
                    return pick == 2 ? nodes.textNode(value.asText()) : value;
                case INT:
                case LONG:
                    return switch (random.nextInt(4)) {
                        case 0 -> nodes.textNode(value.asText());
                        case 1 -> nodes.numberNode(new java.math.BigInteger(value.asText()));
                        case 2 -> nodes.numberNode(new BigDecimal(value.asText()).setScale(1));
                        default -> value;
                    };
                case BOOLEAN:
                    return random.nextInt(4) == 0 ? nodes.textNode(value.asText()) : value;
                default:
                    return value;
            }
        }

        private JsonNode unknownValue() {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            return switch (random.nextInt(5)) {
                case 0 -> nodes.textNode("x");
                case 1 -> nodes.numberNode(1e300);
                case 2 -> nodes.nullNode();
                case 3 -> nodes.arrayNode().add(1).add(nodes.objectNode().put("a", "b")).add(nodes.arrayNode());
                default -> nodes.objectNode().set("trace_id", nodes.objectNode().put("value", "abc"));
            };
        }

        private static FieldDescriptor field(Descriptor type, String key) {
            for (FieldDescriptor f : type.getFields()) {
                if (f.getName().equals(key) || f.getJsonName().equals(key)) {
                    return f;
                }
            }
            throw new IllegalStateException("JsonFormat printed a field " + type.getName() + " has not: " + key);
        }
    }
}
