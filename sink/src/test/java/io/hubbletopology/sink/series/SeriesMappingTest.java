package io.hubbletopology.sink.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;

class SeriesMappingTest {

    private static final Instant START = Instant.parse("2026-11-21T09:20:00Z");
    private static final Instant END = Instant.parse("2026-11-21T09:21:00Z");

    private final SeriesMapping mapping = new SeriesMapping(Map.of("cluster", "prod"));

    @Test
    void writesOneFlowsSamplePerVerdictAndOneDropsSamplePerReasonAtTheWindowsEnd() {
        EdgeUpdate update = EdgeUpdate.of(START, END,
                new EdgeStats("shop/deployment/frontend", "reserved:world", "shop", "", "TCP", 443, 12,
                        Map.of("FORWARDED", 10L, "DROPPED", 2L), Map.of("POLICY_DENIED", 2L), null, null, null, null,
                        false, List.of(), null, null));
        List<Sample> samples = mapping.edge(update);
        assertThat(samples).extracting(Sample::name).containsExactly(SeriesMapping.EDGE_FLOWS, SeriesMapping.EDGE_FLOWS,
                SeriesMapping.EDGE_DROPS);
        assertThat(samples).allMatch(s -> s.timestampMs() == END.toEpochMilli());
        assertThat(samples.get(0).labels()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "__name__", "hubble_topology_edge_flows", "cluster", "prod", "destination_workload", "reserved:world",
                "port", "443", "protocol", "TCP", "source_namespace", "shop", "source_workload", "frontend",
                "source_workload_kind", "deployment", "verdict", "DROPPED")));
        assertThat(samples.get(0).value()).isEqualTo(2);
        assertThat(samples.get(2).labels()).containsEntry("reason", "POLICY_DENIED");
    }

    @Test
    void theSameRecordGivesTheSameSamples() throws Exception {
        EdgeUpdate update = EdgeUpdate.of(Instant.EPOCH, Instant.EPOCH.plusSeconds(60), new EdgeStats("eu-1:a/statefulset/db",
                "b/deployment/api", "a", "b", "TCP", 5432, 3, Map.of("FORWARDED", 3L), Map.of(), null, null, null, null,
                false, List.of(), null, null));
        assertThat(mapping.edge(update)).isEqualTo(mapping.edge(update));
        assertThat(mapping.edge(update).get(0).labels()).containsEntry("source_cluster", "eu-1")
                .containsEntry("source_workload", "db").containsEntry("source_workload_kind", "statefulset");
        // Read again from its JSON, as after a restart or a replay: L7 figures included, nothing differs.
        byte[] json = OutputJson.MAPPER.writeValueAsBytes(l7Update());
        assertThat(mapping.edge(OutputJson.MAPPER.readValue(json, EdgeUpdate.class)))
                .isEqualTo(mapping.edge(OutputJson.MAPPER.readValue(json, EdgeUpdate.class)))
                .isEqualTo(mapping.edge(l7Update()));
    }

    @Test
    void writesTheL7FiguresOfTheWindowWithRequestsPerMethodAddingUpToTheRequests() {
        Map<String, Double> byName = new TreeMap<>();
        Map<String, Double> byMethod = new TreeMap<>();
        Map<String, Double> byStatus = new TreeMap<>();
        for (Sample s : mapping.edge(l7Update())) {
            assertThat(s.timestampMs()).isEqualTo(END.toEpochMilli());
            assertThat(s.labels()).containsEntry("destination_workload", "cart").doesNotContainKey("path");
            byName.merge(s.name(), s.value(), Double::sum);
            if (s.name().equals(L7Series.HTTP_REQUESTS)) {
                byMethod.put(s.labels().get("method"), s.value());
            }
            if (s.name().equals(L7Series.HTTP_RESPONSES)) {
                byStatus.put(s.labels().get("status_class"), s.value());
            }
        }
        assertThat(byName).containsEntry(L7Series.TCP_FLAGS, 215.0).containsEntry(L7Series.HTTP_REQUESTS, 610.0)
                .containsEntry(L7Series.HTTP_RESPONSES, 610.0).containsEntry(L7Series.DNS_QUERIES, 4.0)
                .containsEntry(L7Series.DNS_FAILURES, 1.0).containsEntry(L7Series.LATENCY_MEASURED, 610.0)
                .containsEntry(L7Series.LATENCY_SECONDS, 6.1).containsEntry(L7Series.LATENCY_MAX_SECONDS, 0.0401);
        // 10 requests the routes do not name (beyond the kept routes) are OTHER, so the methods add up to 610.
        assertThat(byMethod).containsExactlyEntriesOf(new TreeMap<>(Map.of("GET", 410.0, "POST", 190.0, "OTHER", 10.0)));
        assertThat(byStatus).containsExactlyEntriesOf(new TreeMap<>(Map.of("2xx", 560.0, "4xx", 31.0, "5xx", 19.0)));
    }

    @Test
    void keepsMethodAndStatusLabelsToABoundedSetWhateverTheRoutes() {
        List<EdgeStats.Route> routes = new ArrayList<>();
        for (int i = 0; i < EdgeStats.Http.MAX_ROUTES; i++) {
            routes.add(new EdgeStats.Route(i % 2 == 0 ? "get" : "X-METHOD-" + i, "/users/" + i, 1));
        }
        EdgeStats.Http http = new EdgeStats.Http(40, Map.of("2xx", 5L, "7xx", 1L, "teapot", 2L), routes, 8);
        EdgeStats stats = new EdgeStats("a/deployment/x", "b/deployment/y", "a", "b", "TCP", 80, 40, Map.of("FORWARDED", 40L),
                Map.of(), null, http, null, null, false, List.of(), null, null);
        List<Sample> samples = mapping.edge(EdgeUpdate.of(START, END, stats));
        assertThat(values(samples, L7Series.HTTP_REQUESTS, "method")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "GET", 16.0, "OTHER", 24.0)));
        assertThat(values(samples, L7Series.HTTP_RESPONSES, "status_class")).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "2xx", 5.0, "other", 3.0)));
    }

    @Test
    void writesNoL7SeriesForAnEdgeWithoutL7Traffic() {
        EdgeStats stats = new EdgeStats("a/deployment/x", "b/deployment/y", "a", "b", "UDP", 53, 1, Map.of("FORWARDED", 1L),
                Map.of(), null, null, null, null, false, List.of(), null, null);
        assertThat(mapping.edge(EdgeUpdate.of(START, END, stats))).extracting(Sample::name).containsExactly(SeriesMapping.EDGE_FLOWS);
    }

    @Test
    void writesALinksStateAndTheRatesItHasAtTheTimeItWasRead() {
        Instant read = Instant.parse("2026-11-21T09:20:31.004Z");
        LinkState up = new LinkState(null, "worker-1", "eth0", "up", 1, 10_000L, 1500, "", 182733.5, 90211.0, 0.0, null,
                read, read, false);
        assertThat(mapping.link(up)).allMatch(s -> s.timestampMs() == read.toEpochMilli()
                && s.labels().get("node").equals("worker-1") && s.labels().get("interface").equals("eth0"));
        assertThat(mapping.link(up).stream().collect(Collectors.toMap(Sample::name, Sample::value))).containsExactlyInAnyOrderEntriesOf(
                Map.of(SeriesMapping.LINK_UP, 1.0, SeriesMapping.LINK_RECEIVE_BYTES, 182733.5,
                        SeriesMapping.LINK_TRANSMIT_BYTES, 90211.0, SeriesMapping.LINK_ERRORS, 0.0));
        LinkState removed = new LinkState(null, "worker-1", "eth0", "down", null, null, null, "", null, null, null, null,
                read, read, true);
        assertThat(mapping.link(removed)).extracting(Sample::name, Sample::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(SeriesMapping.LINK_UP, 0.0));
    }

    @Test
    void everySeriesWrittenIsInTheTableOfDocsTopics() throws Exception {
        Set<String> written = new TreeSet<>();
        mapping.edge(l7Update()).forEach(s -> written.add(s.name()));
        mapping.edge(EdgeUpdate.of(START, END, new EdgeStats("a", "b", "", "", "TCP", 1, 1, Map.of("DROPPED", 1L),
                Map.of("POLICY_DENIED", 1L), null, null, null, null, false, List.of(), null, null))).forEach(s -> written.add(s.name()));
        mapping.link(new LinkState(null, "n", "eth0", "up", 1, 1L, 1500, "", 1.0, 1.0, 1.0, 1.0, START, START, false))
                .forEach(s -> written.add(s.name()));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| `(hubble_topology_[a-z_]+)` \\|", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("../docs/topics.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(written).hasSize(15);
        assertThat(documented).containsAll(written);
    }

    /** The example record of docs/topics.md, with a third route the window had beyond those kept. */
    private static EdgeUpdate l7Update() {
        EdgeStats.Http http = new EdgeStats.Http(610, Map.of("2xx", 560L, "4xx", 31L, "5xx", 19L),
                List.of(new EdgeStats.Route("GET", "/api/cart", 410), new EdgeStats.Route("POST", "/api/cart/items", 190)), 10);
        return EdgeUpdate.of(START, END, new EdgeStats("shop/deployment/frontend", "shop/deployment/cart", "shop", "shop",
                "TCP", 8080, 1250, Map.of("DROPPED", 12L, "FORWARDED", 1238L), Map.of("POLICY_DENIED", 12L),
                new EdgeStats.Tcp(190, 25), http, new EdgeStats.Dns(4, 1), new EdgeStats.Latency(610, 6_100_000_000L, 40_100_000L),
                false, List.of("sim-node-1"), null, null));
    }

    private static Map<String, Double> values(List<Sample> samples, String name, String label) {
        Map<String, Double> out = new TreeMap<>();
        samples.stream().filter(s -> s.name().equals(name)).forEach(s -> out.put(s.labels().get(label), s.value()));
        return out;
    }
}
