package io.hubbletopology.api.policy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A strict validator over the trimmed CiliumNetworkPolicy schema in {@code cilium/ciliumnetworkpolicy-v2.trimmed.schema.json}
 * (its header names the CRD it was carried from): the JSON Schema keywords that file uses (type, properties,
 * required, additionalProperties, items, maxItems, enum, pattern, maxLength, minimum, maximum, oneOf, anyOf, $ref)
 * plus {@code x-mutuallyExclusive} and {@code x-not-carried}. Unlike JSON Schema's default, an object property not
 * listed is an error, as a structural CRD with pruning off would refuse it.
 */
final class CrdSchema {

    private final JsonNode root;

    private CrdSchema(JsonNode root) {
        this.root = root;
    }

    static CrdSchema ciliumNetworkPolicy() {
        try (InputStream in = CrdSchema.class.getResourceAsStream("/cilium/ciliumnetworkpolicy-v2.trimmed.schema.json")) {
            return new CrdSchema(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every violation, each with its path; empty when the object is valid. */
    List<String> violations(JsonNode object) {
        List<String> errors = new ArrayList<>();
        check(object, root, "$", errors);
        return errors;
    }

    private void check(JsonNode value, JsonNode schema, String path, List<String> errors) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            check(value, root.at(ref.substring(1)), path, errors);
            return;
        }
        if (schema.has("x-not-carried")) {
            errors.add(path + ": a field whose CRD facts are not carried into the trimmed schema");
            return;
        }
        String type = schema.path("type").asText("");
        if (!type.isEmpty() && !hasType(value, type)) {
            errors.add(path + ": expected " + type + ", was " + value.getNodeType() + " " + value);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
            }
            if (!found) {
                errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (value.isTextual()) {
            if (schema.has("maxLength") && value.asText().length() > schema.get("maxLength").asInt()) {
                errors.add(path + ": longer than " + schema.get("maxLength").asInt());
            }
            // JSON Schema patterns are not anchored: the CRD's own anchors say what must match.
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
                errors.add(path + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
            }
        }
        if (value.isIntegralNumber()) {
            if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()) {
                errors.add(path + ": below " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.asLong() > schema.get("maximum").asLong()) {
                errors.add(path + ": above " + schema.get("maximum"));
            }
        }
        if (value.isArray()) {
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                errors.add(path + ": more than " + schema.get("maxItems").asInt() + " items");
            }
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.path("items"), path + "[" + i + "]", errors);
            }
        }
        if (value.isObject()) {
            object(value, schema, path, errors);
        }
    }

    private void object(JsonNode value, JsonNode schema, String path, List<String> errors) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(path + ": missing " + required.asText());
            }
        }
        if (schema.has("oneOf")) {
            long matching = count(value, schema.get("oneOf"));
            if (matching != 1) {
                errors.add(path + ": must have exactly one of " + schema.get("oneOf") + ", has " + matching);
            }
        }
        if (schema.has("anyOf") && count(value, schema.get("anyOf")) == 0) {
            errors.add(path + ": must have one of " + schema.get("anyOf"));
        }
        List<String> present = new ArrayList<>();
        for (JsonNode field : schema.path("x-mutuallyExclusive")) {
            if (value.has(field.asText())) {
                present.add(field.asText());
            }
        }
        if (present.size() > 1) {
            errors.add(path + ": " + present + " are mutually exclusive in one rule");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode property = schema.path("properties").get(f.getKey());
            if (property != null) {
                check(f.getValue(), property, path + "." + f.getKey(), errors);
            } else if (schema.has("additionalProperties")) {
                check(f.getValue(), schema.get("additionalProperties"), path + "." + f.getKey(), errors);
            } else {
                errors.add(path + ": unknown field " + f.getKey());
            }
        }
    }

    /** How many of the alternatives (each a list of required fields) the object satisfies. */
    private static long count(JsonNode value, JsonNode alternatives) {
        long n = 0;
        for (JsonNode alternative : alternatives) {
            boolean all = true;
            for (JsonNode required : alternative.path("required")) {
                all &= value.has(required.asText());
            }
            n += all ? 1 : 0;
        }
        return n;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("a type the validator does not know: " + type);
        };
    }
}
