package io.hubbletopology.api.flows;

import java.time.Duration;

/**
 * How much work one flow query may do, so that no request holds a reader or a thread for long: records read
 * from the flows topic and time spent reading (a query reaching either answers what it found, truncated, with
 * a cursor to go on), and how long a query waits for one of the pooled readers before it is told to come back.
 *
 * @param maxScanned  records read per query at most
 * @param maxDuration reading time per query at most (checked between chunks: a query reads at least one chunk)
 * @param poolWait    how long a query waits for a free reader before answering 503 busy
 */
public record FlowQueryBounds(long maxScanned, Duration maxDuration, Duration poolWait) {

    /** The defaults of the api.flows.* keys. */
    public static final FlowQueryBounds DEFAULT = io.hubbletopology.api.ApiSettings.defaultFlowBounds();

    public FlowQueryBounds {
        if (maxScanned < 1) {
            throw new IllegalArgumentException("maxScanned must be at least 1, was " + maxScanned);
        }
        if (maxDuration.isNegative() || maxDuration.isZero() || poolWait.isNegative()) {
            throw new IllegalArgumentException("maxDuration must be positive and poolWait not negative");
        }
    }
}
