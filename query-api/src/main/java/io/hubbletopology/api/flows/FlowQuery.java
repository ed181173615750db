package io.hubbletopology.api.flows;

import java.time.Instant;

/**
 * A request for flows: the time range, how many, in which order, which flows, and where a previous page
 * stopped (null for the first page).
 */
public record FlowQuery(Instant since, Instant until, int limit, boolean newestFirst, FlowFilter filter, String cursor) {
}
