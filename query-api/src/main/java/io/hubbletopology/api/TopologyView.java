package io.hubbletopology.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hubbletopology.graph.GraphNode;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.LinkState;

/**
 * The JSON shapes of the REST answers around the records. An edge is {@link EdgeStats}' JSON and a link
 * {@link LinkState}'s, as on the live feed and the output topics; {@code /topology} and {@code /links} keep the
 * agent we replace's shape ({@code {"links": [...]}}, each edge with {@code src}, {@code dst}, {@code state}),
 * adding fields only.
 */
final class TopologyView {

    private TopologyView() {
    }

    /** {@code from}, {@code to}, the nodes the edges touch, and the edges, busiest first. */
    static Map<String, Object> topology(Collection<EdgeStats> edges, TimeRange range) {
        List<EdgeStats> links = new ArrayList<>(edges);
        links.sort(Comparator.comparingLong(EdgeStats::flows).reversed());
        Map<String, Map<String, Object>> nodes = new TreeMap<>();
        for (EdgeStats e : links) {
            nodes.computeIfAbsent(e.src(), id -> node(id, e.srcNamespace()));
            nodes.computeIfAbsent(e.dst(), id -> node(id, e.dstNamespace()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("nodes", new ArrayList<>(nodes.values()));
        body.put("links", links);
        return body;
    }

    /** A node as the edges name it, with its kind ({@link GraphNode.Kind}; {@code other} for an id of no known form). */
    private static Map<String, Object> node(String id, String namespace) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("namespace", namespace);
        m.put("kind", GraphNode.parse(id).map(n -> n.kind().label()).orElse("other"));
        return m;
    }

    /** Link states by node, then interface. */
    static List<LinkState> sorted(Collection<LinkState> links) {
        return links.stream().sorted(Comparator.comparing(LinkState::key)).toList();
    }
}
