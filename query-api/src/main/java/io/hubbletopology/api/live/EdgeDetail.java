package io.hubbletopology.api.live;

import io.hubbletopology.processor.errors.BadParameterException;

/**
 * How much of each edge a live topology client gets, from its {@code detail} parameter. {@code full} (the default,
 * what every client got before there was a choice): the whole record, as REST and the output topics have it.
 * {@code summary}: {@link EdgeSummary}, the figures a map draws and sums (flows, forwarded, dropped, drop reasons,
 * nodes, last seen) and what names the edge and its window, about half the bytes: a page with 10,000 edges then
 * reads about half as much for its snapshot and for every update. Links and status messages are the same either way.
 *
 * <pre>{@code
 * EdgeDetail detail = EdgeDetail.parse(ctx.queryParam("detail"));   // BadParameterException naming it
 * FeedUpdate sent = update.in(detail);
 * }</pre>
 */
public enum EdgeDetail {

    FULL,
    SUMMARY;

    /** The detail a {@code detail} parameter names; absent or empty: {@link #FULL}. */
    public static EdgeDetail parse(String value) {
        if (value == null || value.isEmpty() || value.equals("full")) {
            return FULL;
        }
        if (value.equals("summary")) {
            return SUMMARY;
        }
        throw new BadParameterException("detail", "'" + value + "' is neither full nor summary");
    }
}
