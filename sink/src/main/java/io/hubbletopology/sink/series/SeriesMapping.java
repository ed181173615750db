package io.hubbletopology.sink.series;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;

/**
 * The series the sink writes (docs/topics.md, "Send it to Prometheus"): for an edge window, one
 * {@value #EDGE_FLOWS} sample per verdict and one {@value #EDGE_DROPS} sample per drop reason, at the window's end,
 * valued within the window (so {@code sum_over_time} over a range is the flows of the range); for a link state,
 * one {@value #LINK_UP} sample at the time it was read. Extra labels (the operator's {@code cluster="prod"}) are on
 * every sample.
 *
 * <pre>{@code
 * SeriesMapping mapping = new SeriesMapping(Map.of("cluster", "prod"));
 * List<Sample> samples = mapping.edge(update);
 * }</pre>
 */
public final class SeriesMapping {

    public static final String EDGE_FLOWS = "hubble_topology_edge_flows";
    public static final String EDGE_DROPS = "hubble_topology_edge_drops";
    public static final String LINK_UP = "hubble_topology_link_up";

    private final Map<String, String> extraLabels;

    public SeriesMapping(Map<String, String> extraLabels) {
        this.extraLabels = Map.copyOf(extraLabels);
    }

    public List<Sample> edge(EdgeUpdate update) {
        EdgeStats stats = update.stats();
        Map<String, String> edge = new LinkedHashMap<>(extraLabels);
        NodeLabels.put(edge, "source", stats.src(), stats.srcNamespace());
        NodeLabels.put(edge, "destination", stats.dst(), stats.dstNamespace());
        edge.put("protocol", stats.protocol());
        edge.put("port", Integer.toString(stats.port()));
        long at = update.windowEnd().toEpochMilli();
        List<Sample> samples = new ArrayList<>(stats.verdicts().size() + stats.dropReasons().size());
        stats.verdicts().forEach((verdict, flows) -> samples.add(sample(EDGE_FLOWS, edge, "verdict", verdict, at, flows)));
        stats.dropReasons().forEach((reason, drops) -> samples.add(sample(EDGE_DROPS, edge, "reason", reason, at, drops)));
        return samples;
    }

    /** Empty for a record without node, interface or time: nothing to plot. */
    public List<Sample> link(LinkState link) {
        if (link.node() == null || link.name() == null || link.observed() == null) {
            return List.of();
        }
        Map<String, String> labels = new HashMap<>(extraLabels);
        labels.put(Sample.NAME, LINK_UP);
        labels.put("node", link.node());
        labels.put("interface", link.name());
        double up = !link.removed() && "up".equals(link.state()) ? 1 : 0;
        return List.of(new Sample(labels, link.observed().toEpochMilli(), up));
    }

    private static Sample sample(String name, Map<String, String> edge, String label, String value, long at, long count) {
        Map<String, String> labels = new HashMap<>(edge);
        labels.put(Sample.NAME, name);
        labels.put(label, value);
        return new Sample(labels, at, count);
    }
}
