package io.hubbletopology.api.live;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.model.EdgeState;

/**
 * Builds the live feed's messages. Each keeps {@code src}, {@code dst} and {@code state} at the top level,
 * so the old agent's example client ({@code graph.updateLink(update.src, update.dst, update.state)}) works
 * unchanged, and carries the full record beside them:
 * <pre>
 * {"type":"edge","src":"shop/deployment/frontend","dst":"shop/deployment/cart","state":"forwarded","edge":{...}}
 * {"type":"link","src":"node-1","dst":"eth0","state":"up","link":{...}}
 * </pre>
 * For an edge, {@code state} is {@link EdgeState}'s: the same rule as on REST.
 */
public final class FeedMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedMessages() {
    }

    /** An edge message from an edge record (the edge-updates topic's value, or the REST edge shape). */
    public static FeedUpdate edge(JsonNode edge) {
        Set<String> verdicts = verdicts(edge);
        String state = state(edge).label();
        String src = edge.path("src").asText();
        String dst = edge.path("dst").asText();
        String protocol = edge.path("protocol").asText("");
        int port = edge.path("port").asInt();
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "edge").put("src", src).put("dst", dst).put("state", state);
        message.set("edge", edge);
        Set<String> namespaces = new HashSet<>();
        addIfPresent(namespaces, edge.path("src_namespace").asText(edge.path("namespace").asText("")));
        addIfPresent(namespaces, edge.path("dst_namespace").asText(""));
        // Coalesced per edge and window: the last update of a window that just closed must not be replaced by
        // the first one of the next (both come out of the same commit), or a client summing counts loses it.
        String window = edge.path("window_start").asText("");
        return new FeedUpdate("edge:" + src + "|" + dst + "|" + protocol + "|" + port + (window.isEmpty() ? "" : "@" + window), FeedUpdate.Kind.EDGE,
                write(message), Set.copyOf(namespaces), verdicts, protocol, edge.path("flows").asLong());
    }

    /** A link message from a link record (the link-changes topic's value, or the REST link shape). */
    public static FeedUpdate link(JsonNode link) {
        String node = link.path("node").asText();
        String name = link.path("name").asText();
        ObjectNode message = JSON.createObjectNode();
        boolean removed = link.path("removed").asBoolean(false);
        message.put("type", "link").put("src", node).put("dst", name).put("state", removed ? "removed" : link.path("state").asText());
        message.set("link", link);
        return new FeedUpdate("link:" + node + "/" + name, FeedUpdate.Kind.LINK, write(message), Set.of(), Set.of(), "", 0);
    }

    /**
     * What a new client is told after its snapshot: how complete it was and the time it reflects, in the words of
     * the REST answers ({@code partial}, {@code missing}, {@code as_of}):
     * <pre>{"type":"snapshot","src":"","dst":"","state":"partial","partial":true,"missing":[...],"as_of":"...","edges":12,"links":3}</pre>
     */
    public static FeedUpdate snapshotStatus(boolean partial, Object missing, String asOf, int edges, int links) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "snapshot").put("src", "").put("dst", "").put("state", partial ? "partial" : "complete");
        message.put("partial", partial);
        message.set("missing", JSON.valueToTree(missing));
        message.put("as_of", asOf).put("edges", edges).put("links", links);
        return new FeedUpdate("snapshot", FeedUpdate.Kind.STATUS, write(message), Set.of(), Set.of(), "", 0);
    }

    /** The verdicts an edge carries: from a {@code verdicts} map, else from forwarded/dropped counts. */
    static Set<String> verdicts(JsonNode edge) {
        Set<String> out = new HashSet<>();
        JsonNode map = edge.path("verdicts");
        if (map.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getValue().asLong() > 0) {
                    out.add(f.getKey().toLowerCase(Locale.ROOT));
                }
            }
        } else {
            if (edge.path("forwarded").asLong() > 0) {
                out.add("forwarded");
            }
            if (edge.path("dropped").asLong() > 0) {
                out.add("dropped");
            }
        }
        return Set.copyOf(out);
    }

    /** The same rule as REST's: from the verdict counts, else from the forwarded/dropped counts. */
    static EdgeState state(JsonNode edge) {
        JsonNode map = edge.path("verdicts");
        if (map.isObject()) {
            return EdgeState.of(map.path("FORWARDED").asLong(), map.path("DROPPED").asLong());
        }
        return EdgeState.of(edge.path("forwarded").asLong(), edge.path("dropped").asLong());
    }

    private static void addIfPresent(Set<String> set, String value) {
        if (value != null && !value.isEmpty()) {
            set.add(value);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
