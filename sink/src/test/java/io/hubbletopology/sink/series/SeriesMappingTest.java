package io.hubbletopology.sink.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;

class SeriesMappingTest {

    private final SeriesMapping mapping = new SeriesMapping(Map.of("cluster", "prod"));

    @Test
    void writesOneFlowsSamplePerVerdictAndOneDropsSamplePerReasonAtTheWindowsEnd() {
        EdgeUpdate update = EdgeUpdate.of(Instant.parse("2026-11-21T09:20:00Z"), Instant.parse("2026-11-21T09:21:00Z"),
                new EdgeStats("shop/deployment/frontend", "reserved:world", "shop", "", "TCP", 443, 12,
                        Map.of("FORWARDED", 10L, "DROPPED", 2L), Map.of("POLICY_DENIED", 2L), null, null, null, null,
                        false, List.of(), null, null));
        List<Sample> samples = mapping.edge(update);
        assertThat(samples).extracting(Sample::name).containsExactly(SeriesMapping.EDGE_FLOWS, SeriesMapping.EDGE_FLOWS,
                SeriesMapping.EDGE_DROPS);
        assertThat(samples).allMatch(s -> s.timestampMs() == Instant.parse("2026-11-21T09:21:00Z").toEpochMilli());
        assertThat(samples.get(0).labels()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "__name__", "hubble_topology_edge_flows", "cluster", "prod", "destination_workload", "reserved:world",
                "port", "443", "protocol", "TCP", "source_namespace", "shop", "source_workload", "frontend",
                "source_workload_kind", "deployment", "verdict", "DROPPED")));
        assertThat(samples.get(0).value()).isEqualTo(2);
        assertThat(samples.get(2).labels()).containsEntry("reason", "POLICY_DENIED");
    }

    @Test
    void theSameRecordGivesTheSameSamples() {
        EdgeUpdate update = EdgeUpdate.of(Instant.EPOCH, Instant.EPOCH.plusSeconds(60), new EdgeStats("eu-1:a/statefulset/db",
                "b/deployment/api", "a", "b", "TCP", 5432, 3, Map.of("FORWARDED", 3L), Map.of(), null, null, null, null,
                false, List.of(), null, null));
        assertThat(mapping.edge(update)).isEqualTo(mapping.edge(update));
        assertThat(mapping.edge(update).get(0).labels()).containsEntry("source_cluster", "eu-1")
                .containsEntry("source_workload", "db").containsEntry("source_workload_kind", "statefulset");
    }
}
