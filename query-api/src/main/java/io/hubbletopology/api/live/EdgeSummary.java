package io.hubbletopology.api.live;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.hubbletopology.processor.output.EdgeStats;

/**
 * An edge as a live client that asked for {@code detail=summary} gets it ({@link EdgeDetail}): what names the edge
 * and its window, and the figures a map draws and sums, under the same names and in the same form as in the full
 * record. The window's times only for a window (an update, an open window of the snapshot), as in the full record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeSummary(@JsonProperty("window_start") Instant windowStart, @JsonProperty("window_end") Instant windowEnd,
                          @JsonProperty("src") String src, @JsonProperty("dst") String dst,
                          @JsonProperty("state") String state, @JsonProperty("protocol") String protocol,
                          @JsonProperty("port") int port, @JsonProperty("flows") long flows,
                          @JsonProperty("forwarded") long forwarded, @JsonProperty("dropped") long dropped,
                          @JsonProperty("drop_reasons") Map<String, Long> dropReasons,
                          @JsonProperty("nodes") List<String> nodes, @JsonProperty("last_seen") Instant lastSeen) {

    /** The summary of {@code edge}, in the window {@code [windowStart, windowEnd)} or (both null) summed over several. */
    static EdgeSummary of(EdgeStats edge, Instant windowStart, Instant windowEnd) {
        return new EdgeSummary(windowStart, windowEnd, edge.src(), edge.dst(), edge.state().label(), edge.protocol(),
                edge.port(), edge.flows(), edge.forwarded(), edge.dropped(), edge.dropReasons(), edge.nodes(), edge.lastSeen());
    }
}
