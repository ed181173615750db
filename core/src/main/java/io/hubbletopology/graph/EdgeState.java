package io.hubbletopology.graph;

import java.util.Locale;

/**
 * How an edge fared, as every surface reports it ({@code state} on REST and on the live feed, the colour on the
 * page): {@code forwarded} when none of its flows was dropped, {@code dropped} when flows were dropped and none
 * forwarded, {@code mixed} when both happened. Verdicts other than these two (audit, error, ...) do not change it.
 */
public enum EdgeState {
    FORWARDED, DROPPED, MIXED;

    public static EdgeState of(long forwarded, long dropped) {
        if (dropped == 0) {
            return FORWARDED;
        }
        return forwarded == 0 ? DROPPED : MIXED;
    }

    /** The lower-case name the API uses. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
