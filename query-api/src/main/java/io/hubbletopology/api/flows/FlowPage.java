package io.hubbletopology.api.flows;

import java.time.Instant;
import java.util.List;

import io.hubbletopology.records.FlowRecord;

/**
 * One page of flows.
 *
 * @param flows              the flows, in the order asked for
 * @param nextCursor         where the next page starts; null when there is no more
 * @param scanned            records read from Kafka to answer
 * @param earliestAvailable  the oldest flow time the topic still holds complete for every partition; null when empty
 * @param truncatedBy        the bound that stopped the query before it had read all it needed; null when none did
 */
public record FlowPage(List<FlowRecord> flows, String nextCursor, long scanned, Instant earliestAvailable, Truncation truncatedBy) {

    /** Which {@link FlowQueryBounds} bound cut a query short. */
    public enum Truncation {
        MAX_SCANNED, MAX_DURATION;

        /** As the answer names it: max_scanned, max_duration. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
