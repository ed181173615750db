package io.hubbletopology.processor.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class EdgeJsonTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final EdgeStats EDGE = new EdgeStats("shop/deployment/web", "data/statefulset/db", "shop", "data", "TCP",
            5432, 5, Map.of("FORWARDED", 3L, "DROPPED", 2L), Map.of("POLICY_DENIED", 2L), null, null, null, null, false,
            List.of("node-1"), T0, T0.plusSeconds(30));

    @Test
    void anEdgeSaysItsKeyStateAndTheOldAgentsFieldsBesideItsFigures() throws Exception {
        JsonNode json = OutputJson.MAPPER.valueToTree(EDGE);
        assertThat(json.path("key").asText()).isEqualTo("shop/deployment/web -> data/statefulset/db TCP/5432");
        assertThat(json.path("state").asText()).isEqualTo("mixed");
        assertThat(json.path("namespace").asText()).isEqualTo("shop");
        assertThat(json.path("forwarded").asLong()).isEqualTo(3);
        assertThat(json.path("dropped").asLong()).isEqualTo(2);
        assertThat(json.path("timestamp").asText()).isEqualTo(json.path("last_seen").asText()).isEqualTo("2026-12-01T10:00:30Z");
    }

    @Test
    void anEdgeUpdateReadsBackAsItWasWrittenDerivedFieldsAndAll() throws Exception {
        EdgeUpdate update = EdgeUpdate.of(T0, T0.plusSeconds(60), EDGE);
        byte[] written = OutputJson.MAPPER.writeValueAsBytes(update);
        assertThat(OutputJson.MAPPER.readValue(written, EdgeUpdate.class)).isEqualTo(update);
        assertThat(OutputJson.MAPPER.readValue(OutputJson.MAPPER.writeValueAsBytes(EDGE), EdgeStats.class)).isEqualTo(EDGE);
        assertThat(OutputJson.MAPPER.readTree(written).path("state").asText()).isEqualTo("mixed");
    }
}
