package io.hubbletopology.api.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram many threads record into without locks: 10 µs buckets up to 1 s, then 1 ms buckets up
 * to 120 s (later values count in the last bucket). Enough resolution for p50/p99 in milliseconds, and a fixed
 * size however many millions of samples a run takes. Each recording thread has buckets of its own, summed when
 * read: the fan-out's clients record millions of samples a second, and shared counters would make the benchmark's
 * threads fight over cache lines instead of reading their sockets.
 */
final class Latencies {

    private static final long FINE_NANOS = 10_000;
    private static final int FINE_BUCKETS = 100_000;
    private static final long COARSE_NANOS = 1_000_000;
    private static final int COARSE_BUCKETS = 119_000;
    private static final int BUCKETS = FINE_BUCKETS + COARSE_BUCKETS;
    /** Slots after the buckets in each thread's array: its sample count and its maximum. */
    private static final int COUNT = BUCKETS;
    private static final int MAX = BUCKETS + 1;

    private final List<AtomicLongArray> threads = new CopyOnWriteArrayList<>();
    private final ThreadLocal<AtomicLongArray> mine = ThreadLocal.withInitial(() -> {
        AtomicLongArray own = new AtomicLongArray(BUCKETS + 2);
        threads.add(own);
        return own;
    });

    void record(long nanos) {
        long n = Math.max(0, nanos);
        int bucket = n < FINE_NANOS * FINE_BUCKETS ? (int) (n / FINE_NANOS)
                : (int) Math.min(BUCKETS - 1, FINE_BUCKETS + (n - FINE_NANOS * FINE_BUCKETS) / COARSE_NANOS);
        AtomicLongArray own = mine.get();
        // One writer per array: a release store is enough for the reader, and needs no locked instruction.
        own.setRelease(bucket, own.getPlain(bucket) + 1);
        own.setRelease(COUNT, own.getPlain(COUNT) + 1);
        if (n > own.getPlain(MAX)) {
            own.setRelease(MAX, n);
        }
    }

    long count() {
        return sum(COUNT);
    }

    double maxMillis() {
        return maxNanos() / 1e6;
    }

    private long maxNanos() {
        long max = 0;
        for (AtomicLongArray own : threads) {
            max = Math.max(max, own.getAcquire(MAX));
        }
        return max;
    }

    private long sum(int slot) {
        long total = 0;
        for (AtomicLongArray own : threads) {
            total += own.getAcquire(slot);
        }
        return total;
    }

    /** The upper bound of the bucket holding the given quantile, in milliseconds; NaN without samples. */
    double percentileMillis(double quantile) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += sum(i);
            if (seen >= rank) {
                long upper = i < FINE_BUCKETS ? (i + 1) * FINE_NANOS : FINE_NANOS * FINE_BUCKETS + (i - FINE_BUCKETS + 1) * COARSE_NANOS;
                return Math.min(upper, maxNanos()) / 1e6;
            }
        }
        return maxMillis();
    }
}
