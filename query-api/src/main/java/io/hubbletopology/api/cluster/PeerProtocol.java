package io.hubbletopology.api.cluster;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.processor.Partitioned;
import io.hubbletopology.processor.model.ModelJson;

/**
 * How instances ask each other for their part of an answer: the paths under {@value #PREFIX}, their
 * parameters, and the body, which holds the items of each partition the instance answered for and why the
 * others failed:
 * <pre>{"partitions": {"0": [...], "2": [...]}, "failures": {"1": "REBALANCING: ..."}}</pre>
 * An answer in any other shape (an instance of another version, say) is a failure of that instance, so the
 * merged answer says it is partial instead of guessing.
 */
public final class PeerProtocol {

    /** The path prefix of the per-instance answers. */
    public static final String PREFIX = "/internal/v1/";
    public static final String EDGES = PREFIX + "edges";
    public static final String LINKS = PREFIX + "links";
    public static final String WORKLOADS = PREFIX + "workloads";
    public static final String SERIES = PREFIX + "series";

    private static final ObjectMapper JSON = ModelJson.MAPPER;

    private PeerProtocol() {
    }

    static String edges(Instant from, Instant to) {
        return EDGES + "?from=" + enc(from.toString()) + "&to=" + enc(to.toString());
    }

    static String series(String edgeKey, Instant from, Instant to) {
        return SERIES + "?key=" + enc(edgeKey) + "&from=" + enc(from.toString()) + "&to=" + enc(to.toString());
    }

    /** The body of a per-instance answer. */
    public static ObjectNode encode(Partitioned<?> part) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode partitions = body.putObject("partitions");
        part.items().forEach((p, items) -> partitions.set(String.valueOf(p), JSON.valueToTree(items)));
        ObjectNode failures = body.putObject("failures");
        part.failures().forEach((p, why) -> failures.put(String.valueOf(p), why));
        return body;
    }

    static <T> Partitioned<T> decode(byte[] body, Class<T> type) throws IOException {
        JsonNode tree = JSON.readTree(body);
        JsonNode partitions = tree == null ? null : tree.get("partitions");
        if (partitions == null || !partitions.isObject()) {
            throw new IOException("no partitions in the answer");
        }
        JavaType list = JSON.getTypeFactory().constructCollectionType(List.class, type);
        Map<Integer, List<T>> items = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> p : partitions.properties()) {
            items.put(partition(p.getKey()), JSON.convertValue(p.getValue(), list));
        }
        Map<Integer, String> failures = new LinkedHashMap<>();
        JsonNode failed = tree.path("failures");
        for (Map.Entry<String, JsonNode> p : failed.properties()) {
            failures.put(partition(p.getKey()), p.getValue().asText());
        }
        return new Partitioned<>(items, failures);
    }

    private static int partition(String text) throws IOException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IOException("'" + text + "' is not a partition");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
