package io.hubbletopology.processor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the processor left out of the figures, and why; since this instance started. Thread-safe: every
 * stream thread of the instance counts here.
 */
public final class ProcessingCounters {

    private final AtomicLong lateFlows = new AtomicLong();

    /** Counts one flow that came after its window's grace period; returns the count so far. */
    public long lateFlow() {
        return lateFlows.incrementAndGet();
    }

    /** Flows that came after their window's grace period and are in no figure. */
    public long lateFlows() {
        return lateFlows.get();
    }
}
