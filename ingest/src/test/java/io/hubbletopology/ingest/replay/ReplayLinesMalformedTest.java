package io.hubbletopology.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.hubble.observer.GetFlowsResponse;

/**
 * Bad lines: the streaming parser must refuse every line the former {@code JsonFormat} parser refused, and when
 * it accepts a line, read it as that parser did. Where {@code JsonFormat} is lenient beyond JSON it may refuse
 * instead, with a reason; those cases are listed here one by one, so that no other difference can slip in.
 */
class ReplayLinesMalformedTest {

    // Numbers kept as written ("1.0", "1e400"), not turned into doubles.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    // Each value put in place of every field of the capture's lines in turn.
    private static final List<String> WRONG_VALUES = List.of("\"text\"", "12", "-1", "1.5", "1.0", "1e2", "true", "null", "{}", "[]",
            "[null]", "{\"value\":1}", "\"\"", "\"80\"", "\"true\"", "\"1e2\"", "2147483648", "4294967296", "-2147483649",
            "18446744073709551616", "9223372036854775808", "-9223372036854775809", "1e400", "-0", "\"NaN\"", "\"2026-11-21T08:00:00Z\"",
            "\"2026-02-30T08:00:00Z\"", "\"2026-11-21T08:00:60Z\"", "\"2026-11-21T08:00:00.1234567891Z\"", "\"2026-11-21T08:00:00+01:00\"",
            "\"1969-12-31T23:59:59.999Z\"", "\"0001-01-01T00:00:00Z\"", "\"10000-01-01T00:00:00Z\"",
            // JsonFormat (through Gson) reads a one-element array as its element; this parser refuses it.
            "[1]", "[\"x\"]");
    private static final List<String> LENIENT_ONLY = List.of("[1]", "[\"x\"]");

    @Test
    @Timeout(120)
    void aWrongValueInAnyFieldIsRefusedWhereJsonFormatRefusedItAndReadAsItReadItElsewhere() throws Exception {
        Map<String, Integer> refusedOnlyHere = new LinkedHashMap<>();
        int cases = 0;
        for (String line : ProtoJsonReaderFuzzTest.captureLines().subList(0, 4)) {
            for (List<Object> path : valuePaths(JSON.readTree(line), new ArrayList<>(), new ArrayList<>())) {
                for (String wrong : WRONG_VALUES) {
                    String mutated = replaced(line, path, wrong);
                    if (!sameDecisionOrAReason(mutated)) {
                        refusedOnlyHere.merge(wrong, 1, Integer::sum);
                    }
                    cases++;
                }
            }
        }
        assertThat(cases).isGreaterThan(5_000);
        assertThat(refusedOnlyHere.keySet()).as("values refused here but read by JsonFormat").isSubsetOf(LENIENT_ONLY);
    }

    @Test
    @Timeout(60)
    void everyTruncationOfALineIsRefusedWithAReason() throws Exception {
        String line = ProtoJsonReaderFuzzTest.captureLines().get(0);
        for (int end = 1; end < line.length(); end++) {
            String truncated = line.substring(0, end);
            if (truncated.isBlank()) {
                continue;
            }
            assertThat(sameDecisionOrAReason(truncated)).as(truncated).isTrue();
            assertThatThrownBy(() -> ReplayLines.parse(truncated)).isInstanceOf(MalformedLineException.class);
        }
    }

    @Test
    @Timeout(30)
    void hugeNumbersAreRefusedAtOnceWithoutBuildingThem() {
        // JsonFormat would build 10^999999999 as a BigInteger for the first; this parser refuses it by its size.
        for (String huge : List.of("1e999999999", "\"1e999999999\"", "1e-999999999", "\"" + "9".repeat(5_000) + "\"", "9".repeat(999))) {
            String line = "{\"lost_events\":{\"num_events_lost\":" + huge + "},\"node_name\":\"n\"}";
            long start = System.nanoTime();
            assertThatThrownBy(() -> ReplayLines.parse(line)).isInstanceOf(MalformedLineException.class)
                    .hasMessageContaining("num_events_lost");
            assertThat(System.nanoTime() - start).as("nanoseconds for " + huge.substring(0, Math.min(20, huge.length()))).isLessThan(5_000_000_000L);
        }
        String tooLongForJson = "{\"lost_events\":{\"num_events_lost\":" + "9".repeat(2_000) + "}}";
        assertThatThrownBy(() -> ReplayLines.parse(tooLongForJson)).isInstanceOf(MalformedLineException.class).hasMessageContaining("not JSON");
    }

    @Test
    void deepNestingIsReadInUnknownFieldsWithinJacksonsBoundAndRefusedBeyondIt() throws Exception {
        String base = "{\"flow\":{\"uuid\":\"deep\",\"future\":%s},\"node_name\":\"n\"}";
        String deep = base.formatted("[".repeat(500) + "]".repeat(500));
        assertThat(ReplayLines.parse(deep)).isEqualTo(JsonFormatReplayLines.parse(deep));
        String deeper = base.formatted("[".repeat(5_000) + "]".repeat(5_000));
        assertThatThrownBy(() -> ReplayLines.parse(deeper)).isInstanceOf(MalformedLineException.class).hasMessageContaining("nesting depth");
        // Deep nesting in declared fields is a type error at the first level our schema does not have.
        String tooDeep = "{\"flow\":{\"l4\":{\"TCP\":{\"flags\":{\"SYN\":{\"SYN\":{}}}}}}}";
        assertThat(sameDecisionOrAReason(tooDeep)).isTrue();
        assertThatThrownBy(() -> ReplayLines.parse(tooDeep)).isInstanceOf(MalformedLineException.class).hasMessageContaining("SYN");
    }

    @Test
    void whatJsonFormatReadsLenientlyIsRefusedHereWithAReason() throws Exception {
        String good = ProtoJsonReaderFuzzTest.captureLines().get(0);
        Map<String, String> lenient = new LinkedHashMap<>();
        lenient.put(good + " {}", "text after the JSON object");
        lenient.put(good + " trailing", "not JSON");
        lenient.put(good.replace("{\"flow\":{", "{\"flow\":{\"uuid\":\"first\","), "appears twice");
        lenient.put(good.replace("\"verdict\":\"FORWARDED\"", "\"verdict\":[\"FORWARDED\"]"), "expects a value of type enum, found an array");
        lenient.put(good.replace("{\"flow\":{", "{/* c */\"flow\":{"), "not JSON");
        lenient.put(good.replace("\"node_name\"", "'node_name'"), "not JSON");
        for (Map.Entry<String, String> line : lenient.entrySet()) {
            assertThat(JsonFormatReplayLines.parse(line.getKey())).as("JsonFormat reads it: " + line.getKey()).isNotNull();
            assertThatThrownBy(() -> ReplayLines.parse(line.getKey())).as(line.getKey())
                    .isInstanceOf(MalformedLineException.class).hasMessageContaining(line.getValue());
        }
    }

    @Test
    void aUnicodeEscapeWithANonAsciiCharacterAmongItsDigitsIsRefusedAsJsonFormatRefusesIt() throws Exception {
        String good = ProtoJsonReaderFuzzTest.captureLines().get(0);
        // Found by ReplayLinesFuzzTest: Jackson alone reads the low byte of U+2A45 as the hex digit E.
        String bad = good.replace("\"pod_name\":\"tiefighter\"", "\"pod_name\":\"tie\\u0\u2A4503\"");
        String escapedBackslash = good.replace("\"pod_name\":\"tiefighter\"", "\"pod_name\":\"tie\\\\u0\u2A4503\"");
        assertThat(bad).isNotEqualTo(good);
        assertThatThrownBy(() -> JsonFormatReplayLines.parse(bad)).isInstanceOf(MalformedLineException.class);
        assertThatThrownBy(() -> ReplayLines.parse(bad)).isInstanceOf(MalformedLineException.class).hasMessageContaining("unicode escape");
        assertThat(ReplayLines.parse(escapedBackslash)).isEqualTo(JsonFormatReplayLines.parse(escapedBackslash));
        assertThat(ReplayLines.parse(escapedBackslash).getFlow().getSource().getPodName()).isEqualTo("tie\\u0\u2A4503");
    }

    @Test
    void twoFieldsOfOneOneofOrOneFieldUnderBothNamesAreRefusedAsJsonFormatRefusesThem() {
        String twoProtocols = "{\"flow\":{\"l4\":{\"TCP\":{\"source_port\":1},\"UDP\":{\"source_port\":2}}}}";
        String bothNames = "{\"flow\":{\"node_name\":\"a\",\"nodeName\":\"b\"}}";
        String responseAndLost = "{\"flow\":{\"uuid\":\"u\"},\"lost_events\":{\"num_events_lost\":\"1\"}}";
        for (String line : List.of(twoProtocols, bothNames, responseAndLost)) {
            assertThatThrownBy(() -> JsonFormatReplayLines.parse(line)).isInstanceOf(MalformedLineException.class);
            assertThatThrownBy(() -> ReplayLines.parse(line)).isInstanceOf(MalformedLineException.class);
        }
        String nullThenOther = "{\"flow\":{\"l4\":{\"TCP\":null,\"UDP\":{\"source_port\":2}}}}";
        assertThat(sameDecisionOrAReason(nullThenOther)).isTrue();
    }

    /**
     * True when both parsers give the same answer (the same response, or both a refusal); false when only this one
     * refuses, with a reason. Fails the test when this one reads a line the former parser refused or read otherwise.
     */
    private static boolean sameDecisionOrAReason(String line) {
        GetFlowsResponse expected;
        try {
            expected = JsonFormatReplayLines.parse(line);
        } catch (MalformedLineException e) {
            expected = null;
        }
        try {
            GetFlowsResponse ours = ReplayLines.parse(line);
            assertThat(expected).as("JsonFormat refused what this parser read: " + line).isNotNull();
            assertThat(ours).as(line).isEqualTo(expected);
            return true;
        } catch (MalformedLineException e) {
            assertThat(e.getMessage()).as("the reason given").isNotBlank();
            return expected == null;
        }
    }

    /** The paths (object keys and array indexes) to every value in the tree, nested ones included. */
    private static List<List<Object>> valuePaths(JsonNode node, List<Object> path, List<List<Object>> into) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                List<Object> next = new ArrayList<>(path);
                next.add(name);
                into.add(next);
                valuePaths(object.get(name), next, into);
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                List<Object> next = new ArrayList<>(path);
                next.add(i);
                into.add(next);
                valuePaths(array.get(i), next, into);
            }
        }
        return into;
    }

    private static String replaced(String line, List<Object> path, String value) throws Exception {
        JsonNode root = JSON.readTree(line);
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof String key ? parent.get(key) : parent.get((Integer) step);
        }
        JsonNode replacement = JSON.readTree(value);
        Object last = path.get(path.size() - 1);
        if (last instanceof String key) {
            ((ObjectNode) parent).set(key, replacement);
        } else {
            ((ArrayNode) parent).set((Integer) last, replacement);
        }
        return JSON.writeValueAsString(root);
    }
}
