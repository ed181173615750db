package io.hubbletopology.processor.output;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One edge's figures in one tumbling window {@code [windowStart, windowEnd)}: the value of the edge updates
 * topic (key {@link #topicKey()}), and one point of an edge's time series. The figures are flat in the JSON,
 * next to {@code schema}, {@code window_start} and {@code window_end}.
 *
 * @param schema      {@value #SCHEMA}
 * @param windowStart the window's start (inclusive)
 * @param windowEnd   the window's end (exclusive)
 * @param stats       the edge's figures within the window so far
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"schema", "window_start", "window_end"})
public record EdgeUpdate(String schema, Instant windowStart, Instant windowEnd, @JsonUnwrapped EdgeStats stats) {

    public static final String SCHEMA = "hubble-topology.edge/v1";

    public EdgeUpdate {
        schema = schema == null ? SCHEMA : schema;
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(stats, "stats");
    }

    public static EdgeUpdate of(Instant windowStart, Instant windowEnd, EdgeStats stats) {
        return new EdgeUpdate(SCHEMA, windowStart, windowEnd, stats);
    }

    /** The key on the edge updates topic: {@code <edge key>@<window start, epoch millis>}, one per edge and window. */
    @JsonIgnore
    public String topicKey() {
        return topicKey(stats.edgeKey(), windowStart.toEpochMilli());
    }

    public static String topicKey(String edgeKey, long windowStartMs) {
        return edgeKey + "@" + windowStartMs;
    }
}
