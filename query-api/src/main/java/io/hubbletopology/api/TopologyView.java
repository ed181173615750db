package io.hubbletopology.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hubbletopology.model.EdgeState;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.LinkState;

/**
 * The JSON shapes of the API. {@code /topology} and {@code /links} keep the agent we replace's shape
 * ({@code {"links": [...]}}, each link with {@code src}, {@code dst}, {@code state}), adding fields only.
 */
final class TopologyView {

    private TopologyView() {
    }

    static Map<String, Object> topology(Collection<EdgeStats> edges, TimeRange range) {
        List<Map<String, Object>> links = new ArrayList<>();
        Map<String, Map<String, Object>> nodes = new TreeMap<>();
        for (EdgeStats e : edges) {
            links.add(edge(e));
            nodes.computeIfAbsent(e.src(), id -> node(id, e.srcNamespace()));
            nodes.computeIfAbsent(e.dst(), id -> node(id, e.dstNamespace()));
        }
        links.sort((a, b) -> Long.compare((Long) b.get("flows"), (Long) a.get("flows")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("nodes", new ArrayList<>(nodes.values()));
        body.put("links", links);
        return body;
    }

    static Map<String, Object> edge(EdgeStats e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", e.src());
        m.put("dst", e.dst());
        m.put("state", state(e));
        m.put("protocol", e.protocol());
        m.put("port", e.port());
        m.put("namespace", e.srcNamespace());
        m.put("flows", e.flows());
        m.put("forwarded", e.forwarded());
        m.put("dropped", e.dropped());
        m.put("first_seen", String.valueOf(e.firstSeen()));
        m.put("timestamp", String.valueOf(e.lastSeen()));
        return m;
    }

    static String state(EdgeStats e) {
        return EdgeState.of(e.forwarded(), e.dropped()).label();
    }

    private static Map<String, Object> node(String id, String namespace) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("namespace", namespace);
        return m;
    }

    static Map<String, Object> links(List<LinkState> links) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LinkState l : links) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            m.put("state", l.state());
            m.put("carrier", l.carrier());
            m.put("speed", l.speed());
            m.put("node", l.node());
            m.put("mtu", l.mtu());
            m.put("mac", l.mac());
            m.put("observed", String.valueOf(l.observed()));
            out.add(m);
        }
        out.sort((a, b) -> (a.get("node") + "/" + a.get("name")).compareTo(b.get("node") + "/" + b.get("name")));
        return Map.of("links", out);
    }
}
