package io.hubbletopology.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.hubbletopology.api.live.FeedFilter;
import io.hubbletopology.graph.GraphNode;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.output.EdgeStats;

/**
 * What part of the topology a REST client asks for, and at which grain: the live feed's filters
 * ({@code namespace}, {@code verdict}, {@code protocol}, {@code min_flows}) plus {@code group_by}:
 * {@code workload} (the default: the graph nodes as the processor names them) or {@code namespace} (all
 * workloads of a namespace become one node; endpoints outside the cluster stay as they are).
 */
record TopologyFilter(FeedFilter edges, GroupBy groupBy) {

    enum GroupBy { WORKLOAD, NAMESPACE }

    static TopologyFilter parse(Function<String, String> param) {
        FeedFilter edges = FeedFilter.parse(param.apply("namespace"), param.apply("verdict"), param.apply("protocol"),
                param.apply("min_flows"));
        String group = param.apply("group_by");
        GroupBy groupBy = GroupBy.WORKLOAD;
        if (group != null && !group.isBlank()) {
            try {
                groupBy = GroupBy.valueOf(group.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadParameterException("group_by", "'" + group + "' is not workload or namespace");
            }
        }
        return new TopologyFilter(edges, groupBy);
    }

    List<EdgeStats> apply(List<EdgeStats> all) {
        List<EdgeStats> kept = new ArrayList<>();
        for (EdgeStats e : all) {
            if (matches(e)) {
                kept.add(e);
            }
        }
        return groupBy == GroupBy.NAMESPACE ? byNamespace(kept) : kept;
    }

    private boolean matches(EdgeStats e) {
        if (!edges.namespaces().isEmpty() && !edges.namespaces().contains(e.srcNamespace())
                && !edges.namespaces().contains(e.dstNamespace())) {
            return false;
        }
        if (!edges.verdicts().isEmpty() && e.verdicts().entrySet().stream()
                .noneMatch(v -> v.getValue() > 0 && edges.verdicts().contains(v.getKey().toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (!edges.protocols().isEmpty() && !edges.protocols().contains(e.protocol().toLowerCase(Locale.ROOT))) {
            return false;
        }
        return e.flows() >= edges.minFlows();
    }

    private static List<EdgeStats> byNamespace(List<EdgeStats> edges) {
        Map<String, EdgeStats> grouped = new LinkedHashMap<>();
        for (EdgeStats e : edges) {
            EdgeStats regrouped = new EdgeStats(namespaceNode(e.src(), e.srcNamespace()), namespaceNode(e.dst(), e.dstNamespace()),
                    e.srcNamespace(), e.dstNamespace(), e.protocol(), e.port(), e.flows(), e.verdicts(), e.dropReasons(), e.tcp(),
                    e.http(), e.dns(), e.latency(), e.encrypted(), e.nodes(), e.firstSeen(), e.lastSeen());
            grouped.merge(regrouped.edgeKey(), regrouped, EdgeStats::merge);
        }
        return new ArrayList<>(grouped.values());
    }

    /** A workload's namespace node id ("shop", or "eu-1:shop" in a named cluster); other nodes unchanged. */
    static String namespaceNode(String id, String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return id;
        }
        return GraphNode.parse(id).filter(n -> n.kind() == GraphNode.Kind.WORKLOAD)
                .map(n -> (n.cluster().isEmpty() ? "" : n.cluster() + ":") + namespace).orElse(id);
    }

}
