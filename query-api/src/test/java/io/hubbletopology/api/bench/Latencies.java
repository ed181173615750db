package io.hubbletopology.api.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram many threads record into without locks: 10 µs buckets up to 1 s, then 1 ms buckets up
 * to 120 s (later values count in the last bucket). Enough resolution for p50/p99 in milliseconds, and a fixed
 * size however many millions of samples a run takes.
 */
final class Latencies {

    private static final long FINE_NANOS = 10_000;
    private static final int FINE_BUCKETS = 100_000;
    private static final long COARSE_NANOS = 1_000_000;
    private static final int COARSE_BUCKETS = 119_000;

    private final AtomicLongArray buckets = new AtomicLongArray(FINE_BUCKETS + COARSE_BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
        long n = Math.max(0, nanos);
        int bucket = n < FINE_NANOS * FINE_BUCKETS ? (int) (n / FINE_NANOS)
                : (int) Math.min(FINE_BUCKETS + COARSE_BUCKETS - 1, FINE_BUCKETS + (n - FINE_NANOS * FINE_BUCKETS) / COARSE_NANOS);
        buckets.incrementAndGet(bucket);
        count.incrementAndGet();
        max.accumulateAndGet(n, Math::max);
    }

    long count() {
        return count.get();
    }

    double maxMillis() {
        return max.get() / 1e6;
    }

    /** The upper bound of the bucket holding the given quantile, in milliseconds; NaN without samples. */
    double percentileMillis(double quantile) {
        long total = count.get();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                long upper = i < FINE_BUCKETS ? (i + 1) * FINE_NANOS : FINE_NANOS * FINE_BUCKETS + (i - FINE_BUCKETS + 1) * COARSE_NANOS;
                return Math.min(upper, max.get()) / 1e6;
            }
        }
        return maxMillis();
    }
}
