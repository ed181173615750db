package io.hubbletopology.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.hubbletopology.broker.MetricsReference;
import io.hubbletopology.deploy.vm.HostTool;

/**
 * deploy/k8s/monitoring: a PodMonitor on the metrics port of every role, and alerts Prometheus accepts
 * ({@code promtool check rules}) that read only metrics docs/metrics.md lists, so alerts and metrics cannot drift.
 */
class MonitoringTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).setSerializationInclusion(JsonInclude.Include.NON_NULL);

    @Test
    void everyRoleIsScrapedOnThePortItServesMetricsOn() throws Exception {
        List<StrictKubernetesTypes.PodMonitor> monitors = Rendered.of("monitoring").all(StrictKubernetesTypes.PodMonitor.class).toList();
        assertThat(monitors).extracting(m -> m.spec().selector().getMatchLabels().get("app.kubernetes.io/component"))
                .containsExactlyInAnyOrder("processor", "ingest", "sink");
        for (StrictKubernetesTypes.PodMonitor m : monitors) {
            assertThat(m.spec().podMetricsEndpoints()).singleElement().satisfies(e -> {
                assertThat(e.path()).isEqualTo("/metrics");
                assertThat(e.port()).as(m.metadata().getName()).isEqualTo(
                        m.metadata().getName().endsWith("processor") ? "api" : "health");
            });
        }
        // The port names the PodMonitors use are the ones the workloads declare.
        Rendered production = Rendered.of("overlays/production");
        assertThat(production.workloads()).flatExtracting(w -> w.pod().getContainers())
                .flatExtracting(c -> c.getPorts()).extracting(p -> p.getName()).contains("api", "health");
    }

    @Test
    void alertsPassPromtoolAndReadOnlyDocumentedMetrics(@TempDir Path dir) throws Exception {
        StrictKubernetesTypes.PrometheusRule rule = Rendered.of("monitoring").only(StrictKubernetesTypes.PrometheusRule.class);
        MetricsReference doc = MetricsReference.read(MetricsReference.locate());
        Set<String> alerts = new TreeSet<>();
        for (StrictKubernetesTypes.PrometheusRule.Group g : rule.spec().groups()) {
            for (StrictKubernetesTypes.PrometheusRule.Rule r : g.rules()) {
                alerts.add(r.alert());
                Set<String> used = MetricsReference.metricNames(r.expr());
                assertThat(used).as(r.alert() + " reads a metric").isNotEmpty();
                assertThat(used).as(r.alert() + ": metrics not in docs/metrics.md").allMatch(doc::documentsSeries);
                assertThat(r.annotations()).as(r.alert()).containsKeys("summary", "description");
                assertThat(r.labels()).as(r.alert()).containsKey("severity");
            }
        }
        assertThat(alerts).contains("HubbleTopologyHubbleLostEvents", "HubbleTopologyConsumerLagGrowing",
                "HubbleTopologyDeadLetteredRecords", "HubbleTopologyAgentDisconnectedFromHubble",
                "HubbleTopologyPartialAnswers", "HubbleTopologySinkSamplesFailing");

        // promtool reads a plain rules file: the PrometheusRule's spec is one.
        Path rules = dir.resolve("rules.yaml");
        YAML.writeValue(rules.toFile(), rule.spec());
        Path promtool = HostTool.require("promtool", "prometheus");
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", rules.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check rules:\n" + out + "\n" + Files.readString(rules)).isZero();
        assertThat(out).contains("SUCCESS: " + alerts.size() + " rules found");
    }
}
