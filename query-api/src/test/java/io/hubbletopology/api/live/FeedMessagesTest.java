package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;

/** The feed's messages carry each record exactly as REST and the output topics write it, under the old agent's top level. */
class FeedMessagesTest {

    private static final Instant FROM = Instant.parse("2026-12-01T10:00:00Z");

    private static EdgeStats edge(String dst, long forwarded, long dropped) {
        return new EdgeStats("shop/deployment/web", dst, "shop", "shop", "TCP", 8080, forwarded + dropped,
                Map.of("FORWARDED", forwarded, "DROPPED", dropped), dropped > 0 ? Map.of("POLICY_DENIED", dropped) : Map.of(),
                null, new EdgeStats.Http(3, Map.of("2xx", 2L, "5xx", 1L), List.of(new EdgeStats.Route("GET", "/a \"quoted\" ü", 3)), 0),
                null, null, false, List.of("n1", "n2"), FROM, FROM.plusSeconds(30));
    }

    private static JsonNode parse(FeedUpdate message) throws Exception {
        ByteBuffer bytes = message.bytes();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        assertThat(new String(copy, StandardCharsets.UTF_8)).isEqualTo(message.payload());
        return OutputJson.MAPPER.readTree(copy);
    }

    /** The record as REST and the output topics write it, read back. */
    private static JsonNode asWritten(Object record) throws Exception {
        return OutputJson.MAPPER.readTree(OutputJson.MAPPER.writeValueAsBytes(record));
    }

    @Test
    void anEdgeUpdateCarriesTheTopicsRecordUnderTheOldAgentsTopLevel() throws Exception {
        EdgeUpdate update = new EdgeUpdate(EdgeUpdate.SCHEMA, FROM, FROM.plusSeconds(60), edge("shop/deployment/cart", 5, 2));
        JsonNode message = parse(FeedMessages.edge(update));
        assertThat(message.path("type").asText()).isEqualTo("edge");
        assertThat(message.path("src").asText()).isEqualTo("shop/deployment/web");
        assertThat(message.path("dst").asText()).isEqualTo("shop/deployment/cart");
        assertThat(message.path("state").asText()).isEqualTo("mixed");
        assertThat(message.path("edge")).isEqualTo(asWritten(update));
        assertThat(message.path("edge").path("window_start").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(message.path("edge").path("http").path("routes").get(0).path("path").asText()).isEqualTo("/a \"quoted\" ü");
    }

    @Test
    void aSnapshotEdgeCarriesTheSummedRecordWithoutAWindow() throws Exception {
        EdgeStats stats = edge("shop/deployment/db", 0, 4);
        JsonNode message = parse(FeedMessages.edge(stats));
        assertThat(message.path("state").asText()).isEqualTo("dropped");
        assertThat(message.path("edge")).isEqualTo(asWritten(stats));
        assertThat(message.path("edge").has("window_start")).isFalse();
    }

    @Test
    void aLinkCarriesItsRecordAndARemovedOneSaysSo() throws Exception {
        LinkState up = new LinkState(LinkState.SCHEMA, "node-1", "eth0", "up", 1, 10_000L, 1500, "aa:bb", 1.5, 2.5, 0.0, 0.0,
                FROM, FROM, false);
        JsonNode message = parse(FeedMessages.link(up));
        assertThat(message.path("type").asText()).isEqualTo("link");
        assertThat(message.path("src").asText()).isEqualTo("node-1");
        assertThat(message.path("dst").asText()).isEqualTo("eth0");
        assertThat(message.path("state").asText()).isEqualTo("up");
        assertThat(message.path("link")).isEqualTo(asWritten(up));
        LinkState removed = new LinkState(LinkState.SCHEMA, "node-1", "eth0", "down", 0, null, 1500, "aa:bb", null, null,
                null, null, FROM, FROM, true);
        assertThat(parse(FeedMessages.link(removed)).path("state").asText()).isEqualTo("removed");
    }

    @Test
    void inSummaryAnEdgeKeepsWhatNamesItAndTheFiguresAMapSumsAndAnythingElseIsTheSame() throws Exception {
        EdgeUpdate update = new EdgeUpdate(EdgeUpdate.SCHEMA, FROM, FROM.plusSeconds(60), edge("shop/deployment/cart", 5, 2));
        FeedUpdate full = FeedMessages.edge(update);
        FeedUpdate summary = full.in(EdgeDetail.SUMMARY);
        assertThat(full.in(EdgeDetail.FULL)).isSameAs(full);
        assertThat(summary.key()).isEqualTo(full.key());
        assertThat(summary.namespaces()).isEqualTo(full.namespaces());
        JsonNode message = parse(summary), record = parse(full).path("edge");
        assertThat(message.path("src")).isEqualTo(parse(full).path("src"));
        assertThat(message.path("state").asText()).isEqualTo("mixed");
        List<String> names = new java.util.ArrayList<>();
        message.path("edge").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("window_start", "window_end", "src", "dst", "state", "protocol", "port", "flows",
                "forwarded", "dropped", "drop_reasons", "nodes", "last_seen");
        names.forEach(name -> assertThat(message.path("edge").path(name)).as(name).isEqualTo(record.path(name)));
        // Made once, whatever the number of clients that take it.
        assertThat(full.in(EdgeDetail.SUMMARY).bytes()).isEqualTo(summary.bytes());
        assertThat(parse(FeedMessages.edge(edge("shop/deployment/db", 1, 0))).has("window_start")).isFalse();
        assertThat(parse(FeedMessages.edge(edge("shop/deployment/db", 1, 0)).in(EdgeDetail.SUMMARY)).path("edge").has("window_start")).isFalse();
        LinkState link = new LinkState(LinkState.SCHEMA, "node-1", "eth0", "up", 1, null, 1500, null, null, null, null, null,
                FROM, FROM, false);
        FeedUpdate linkMessage = FeedMessages.link(link);
        assertThat(linkMessage.in(EdgeDetail.SUMMARY)).isSameAs(linkMessage);
    }

    @Test
    void aDetailIsFullOrSummaryAndAnythingElseIsABadParameterNamed() {
        assertThat(EdgeDetail.parse(null)).isEqualTo(EdgeDetail.FULL);
        assertThat(EdgeDetail.parse("")).isEqualTo(EdgeDetail.FULL);
        assertThat(EdgeDetail.parse("full")).isEqualTo(EdgeDetail.FULL);
        assertThat(EdgeDetail.parse("summary")).isEqualTo(EdgeDetail.SUMMARY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EdgeDetail.parse("Summary"))
                .isInstanceOfSatisfying(io.hubbletopology.processor.errors.BadParameterException.class,
                        e -> assertThat(e.parameter()).isEqualTo("detail"));
    }

    @Test
    void aSnapshotBatchAndAChangesBatchHoldTheMessagesAsTheyAreAlone() throws Exception {
        List<FeedUpdate> alone = List.of(FeedMessages.edge(edge("shop/deployment/a", 1, 0)),
                FeedMessages.edge(new EdgeUpdate(EdgeUpdate.SCHEMA, FROM, FROM.plusSeconds(60), edge("shop/deployment/b", 2, 0))));
        for (FeedUpdate batch : List.of(FeedMessages.batch(alone), FeedMessages.changes(alone))) {
            JsonNode message = parse(batch);
            assertThat(message.path("type").asText()).isEqualTo("batch");
            assertThat(message.path("messages")).hasSize(2);
            for (int i = 0; i < alone.size(); i++) {
                assertThat(message.path("messages").get(i)).isEqualTo(parse(alone.get(i)));
            }
        }
        assertThat(parse(FeedMessages.batch(alone)).path("state").asText()).isEqualTo("snapshot");
        assertThat(parse(FeedMessages.changes(alone)).path("state").asText()).isEqualTo("changes");
    }
}
