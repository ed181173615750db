package io.hubbletopology.api.flows;

import java.time.Instant;
import java.util.function.Predicate;

import io.hubbletopology.records.FlowRecord;

/**
 * A request for flows: the time range, how many, in which order, which flows, and where a previous page
 * stopped (null for the first page). The filter is any test of a record: the REST parameters' {@link FlowFilter}, or
 * Hubble's FlowFilters through the Observer API.
 */
public record FlowQuery(Instant since, Instant until, int limit, boolean newestFirst, Predicate<FlowRecord> filter, String cursor) {
}
