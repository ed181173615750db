package io.hubbletopology.api.live;

import java.util.ArrayList;
import java.util.List;

/**
 * How a live topology client gets its snapshot, from its {@code snapshot} parameter. {@code messages} (the default,
 * what every client got before there was a choice): one message per edge and link, then the snapshot status.
 * {@code batched}: the same messages, in order, gathered {@value #PER_BATCH} at a time into
 * {@code {"type":"batch",...,"messages":[...]}} ({@link FeedMessages#batch}), so that a page with 10,000 edges
 * handles some twenty messages instead of 10,000 (each one a task of its own on a browser's main thread). The
 * changes that follow are single messages either way.
 *
 * <pre>{@code
 * SnapshotShape shape = SnapshotShape.parse(ctx.queryParam("snapshot"));   // BadParameterException naming it
 * List<FeedUpdate> sent = shape.arrange(filteredSnapshot);
 * }</pre>
 */
public enum SnapshotShape {

    MESSAGES,
    BATCHED;

    /** Messages per batch: a few hundred KB of JSON, parsed by a browser in a few milliseconds. */
    static final int PER_BATCH = 500;

    /** The shape a {@code snapshot} parameter names; absent or empty: {@link #MESSAGES}. */
    public static SnapshotShape parse(String value) {
        return BatchChoice.batched("snapshot", value) ? BATCHED : MESSAGES;
    }

    /** A snapshot (already filtered) as it is sent: edges and links batched or not, status messages where they were. */
    List<FeedUpdate> arrange(List<FeedUpdate> snapshot) {
        if (this == MESSAGES) {
            return snapshot;
        }
        List<FeedUpdate> out = new ArrayList<>();
        List<FeedUpdate> pending = new ArrayList<>(PER_BATCH);
        for (FeedUpdate update : snapshot) {
            if (update.kind() == FeedUpdate.Kind.STATUS) {
                flush(pending, out);
                out.add(update);
                continue;
            }
            pending.add(update);
            if (pending.size() == PER_BATCH) {
                flush(pending, out);
            }
        }
        flush(pending, out);
        return out;
    }

    private static void flush(List<FeedUpdate> pending, List<FeedUpdate> out) {
        if (!pending.isEmpty()) {
            out.add(FeedMessages.batch(List.copyOf(pending)));
            pending.clear();
        }
    }
}
