package io.hubbletopology.processor.internal;

import io.hubbletopology.processor.output.LinkState;

/**
 * One interface as the links store keeps it: what consumers see, and the raw counters of the latest reading,
 * from which the next reading's rates are derived.
 *
 * @param link     the latest state with its rates
 * @param counters the latest reading's counters; null when the agent sent none
 */
record TrackedLink(LinkState link, Counters counters) {

    /** Cumulative interface counters, as the kernel reports them (unsigned 64-bit). */
    record Counters(long rxBytes, long txBytes, long errors, long drops) {
    }
}
