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
 * {@value #EDGE_FLOWS} sample per verdict, one {@value #EDGE_DROPS} sample per drop reason and the window's TCP, HTTP,
 * DNS and latency figures ({@link L7Series}), at the window's end, valued within the window (so {@code sum_over_time}
 * over a range is the flows of the range); for a link state, {@value #LINK_UP} and the rates it carries, at the time
 * it was read. Extra labels (the operator's {@code cluster="prod"}) are on every sample.
 *
 * <p>Every sample comes from the record alone, so a record written twice gives the same series, times and values.
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
    public static final String LINK_RECEIVE_BYTES = "hubble_topology_link_receive_bytes_per_second";
    public static final String LINK_TRANSMIT_BYTES = "hubble_topology_link_transmit_bytes_per_second";
    public static final String LINK_ERRORS = "hubble_topology_link_errors_per_second";
    public static final String LINK_DROPS = "hubble_topology_link_drops_per_second";

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
        SeriesOfOneTime series = new SeriesOfOneTime(edge, update.windowEnd().toEpochMilli());
        stats.verdicts().forEach((verdict, flows) -> series.add(EDGE_FLOWS, "verdict", verdict, flows));
        stats.dropReasons().forEach((reason, drops) -> series.add(EDGE_DROPS, "reason", reason, drops));
        L7Series.add(stats, series);
        return series.samples();
    }

    /** Empty for a record without node, interface or time: nothing to plot. Rates only where the record has them. */
    public List<Sample> link(LinkState link) {
        if (link.node() == null || link.name() == null || link.observed() == null) {
            return List.of();
        }
        Map<String, String> labels = new HashMap<>(extraLabels);
        labels.put("node", link.node());
        labels.put("interface", link.name());
        SeriesOfOneTime series = new SeriesOfOneTime(labels, link.observed().toEpochMilli());
        series.addAlways(LINK_UP, !link.removed() && "up".equals(link.state()) ? 1 : 0);
        if (!link.removed()) {
            series.addIfKnown(LINK_RECEIVE_BYTES, link.rxBytesPerS());
            series.addIfKnown(LINK_TRANSMIT_BYTES, link.txBytesPerS());
            series.addIfKnown(LINK_ERRORS, link.errorsPerS());
            series.addIfKnown(LINK_DROPS, link.dropsPerS());
        }
        return series.samples();
    }

    /** Samples of one record: the same labels and time, a name and value each (and maybe one more label). */
    static final class SeriesOfOneTime {

        private final Map<String, String> labels;
        private final long at;
        private final List<Sample> samples = new ArrayList<>();

        SeriesOfOneTime(Map<String, String> labels, long at) {
            this.labels = labels;
            this.at = at;
        }

        void add(String name, String label, String value, double v) {
            Map<String, String> l = new HashMap<>(labels);
            l.put(Sample.NAME, name);
            l.put(label, value);
            samples.add(new Sample(l, at, v));
        }

        /** Zero is not written: an edge without L7 traffic adds no series. */
        void addIfNonZero(String name, double v) {
            if (v != 0) {
                addAlways(name, v);
            }
        }

        void addIfKnown(String name, Double v) {
            if (v != null && Double.isFinite(v)) {
                addAlways(name, v);
            }
        }

        void addAlways(String name, double v) {
            Map<String, String> l = new HashMap<>(labels);
            l.put(Sample.NAME, name);
            samples.add(new Sample(l, at, v));
        }

        List<Sample> samples() {
            return samples;
        }
    }
}
