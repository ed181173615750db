package io.hubbletopology.processor.query;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;

/**
 * The topology of a range split where flows can still change it, for a client that goes on with the live feed's
 * updates (the latest per edge and window): the settled windows summed per edge, and each open window on its own.
 * An edge's figures over the range and after it are its settled sum plus the latest of each of its windows from
 * {@code openFrom} on, every flow counted once.
 *
 * @param from     the range's start
 * @param openFrom the start of the oldest open window: {@code settled} holds the windows before it
 * @param settled  per edge, the windows of the range that start before {@code openFrom}, summed
 * @param open     per edge and window, the windows of the range that start at or after {@code openFrom}
 */
public record LiveTopology(Instant from, Instant openFrom, List<EdgeStats> settled, List<EdgeUpdate> open) {

    public LiveTopology {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(openFrom, "openFrom");
        settled = List.copyOf(settled);
        open = List.copyOf(open);
    }

    /** How many edges it has, settled or open. */
    public int edgeCount() {
        Set<String> keys = new HashSet<>();
        settled.forEach(e -> keys.add(e.edgeKey()));
        open.forEach(u -> keys.add(u.stats().edgeKey()));
        return keys.size();
    }
}
