package io.hubbletopology.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.hubbletopology.broker.MetricsReference;
import io.hubbletopology.deploy.vm.HostTool;

/**
 * deploy/grafana/hubble-topology.json parses, its PromQL is PromQL (promtool), and it reads only metrics
 * docs/metrics.md lists or series the sink writes (docs/topics.md), so the dashboard cannot drift from them.
 */
class DashboardTest {

    private static final Path DASHBOARD = Path.of("grafana/hubble-topology.json");
    private static final Pattern SINK_SERIES = Pattern.compile("^\\| `(hubble_topology_[a-z_]+)` \\|", Pattern.MULTILINE);

    @Test
    void everyPanelQueriesOnlyDocumentedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("hubble-topology");
        MetricsReference doc = MetricsReference.read(MetricsReference.locate());
        Set<String> sinkSeries = sinkSeries();
        assertThat(sinkSeries).contains("hubble_topology_edge_flows", "hubble_topology_edge_drops");

        Set<String> used = new TreeSet<>();
        for (Map.Entry<String, String> q : queries(dashboard).entrySet()) {
            Set<String> names = MetricsReference.metricNames(q.getValue());
            assertThat(names).as(q.getKey() + " reads a metric").isNotEmpty();
            used.addAll(names);
        }
        assertThat(used).as("metrics neither in docs/metrics.md nor sink series in docs/topics.md")
                .allMatch(name -> doc.documentsSeries(name) || sinkSeries.contains(name));
        assertThat(used).contains("hubble_topology_edge_flows", "hubble_topology_edge_drops",
                "hubble_topology_ingest_lost_events_total", "kafka_consumer_fetch_manager_records_lag_max", "hubble_topology_ws_clients");
    }

    @Test
    void everyPanelExpressionIsValidPromQl(@TempDir Path dir) throws Exception {
        // promtool has no expression checker of its own: each expression becomes a recording rule.
        Map<String, String> queries = queries(new ObjectMapper().readTree(DASHBOARD.toFile()));
        queries.values().removeIf(expr -> expr.startsWith("label_values("));
        List<Map<String, String>> rules = new ArrayList<>();
        int n = 0;
        for (String expr : queries.values()) {
            rules.add(Map.of("record", "dashboard:expression_" + n++, "expr", expr));
        }
        Path file = dir.resolve("dashboard-rules.yaml");
        new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules))));
        Path promtool = HostTool.require("promtool", "prometheus");
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check rules:\n" + out).isZero();
    }

    /** Panel title (and target) to PromQL, and the templating variables' queries. */
    private static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("targets")).as(panel.path("title").asText() + " has queries").isNotEmpty();
            for (JsonNode t : panel.path("targets")) {
                queries.put(panel.path("title").asText() + " " + t.path("refId").asText(), t.path("expr").asText());
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                queries.put("variable " + v.path("name").asText(), v.path("definition").asText());
            }
        }
        return queries;
    }

    private static Set<String> sinkSeries() throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = SINK_SERIES.matcher(Files.readString(Path.of(MetricsReference.locate().getParent().toString(), "topics.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
