package io.hubbletopology.deploy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each probe flow was emitted, and when an edge update counting it reached the live feed. Probes of one
 * edge travel in order (one gRPC stream, one partition, one stream task), so an update saying a probe edge
 * has N flows in a window means its first N probes of that window are counted: each of those not seen
 * before gets its latency from the time the update arrived.
 */
final class ProbeLedger {

    /** One probe's emit time and, once seen, its latency (both from {@link System#nanoTime}). */
    record Probe(long emittedNanos, long latencyNanos) {
    }

    private static final class Window {
        final List<Long> emitted = new ArrayList<>();
        int seen;
    }

    private final long windowMillis;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final List<Probe> seen = new ArrayList<>();
    private final List<Long> emittedAll = new ArrayList<>();

    ProbeLedger(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    void emitted(int edge, long flowTimeMillis, long emittedNanos) {
        Window w = windows.computeIfAbsent(key(edge, flowTimeMillis - Math.floorMod(flowTimeMillis, windowMillis)), k -> new Window());
        synchronized (this) {
            w.emitted.add(emittedNanos);
            emittedAll.add(emittedNanos);
        }
    }

    /** An edge update for probe edge {@code edge}: {@code flows} counted in the window starting at {@code windowStartMillis}. */
    void counted(int edge, long windowStartMillis, long flows, long receivedNanos) {
        Window w = windows.get(key(edge, windowStartMillis));
        if (w == null) {
            return;
        }
        synchronized (this) {
            int upTo = (int) Math.min(flows, w.emitted.size());
            for (int i = w.seen; i < upTo; i++) {
                long emittedAt = w.emitted.get(i);
                seen.add(new Probe(emittedAt, receivedNanos - emittedAt));
            }
            w.seen = Math.max(w.seen, upTo);
        }
    }

    /** Probes emitted in {@code [from, to)} (nanoTime) and the latencies of those seen so far. */
    synchronized Sample sample(long fromNanos, long toNanos) {
        long emitted = emittedAll.stream().filter(t -> t - fromNanos >= 0 && t - toNanos < 0).count();
        long[] latencies = seen.stream().filter(p -> p.emittedNanos() - fromNanos >= 0 && p.emittedNanos() - toNanos < 0)
                .mapToLong(Probe::latencyNanos).sorted().toArray();
        return new Sample(emitted, latencies);
    }

    private static String key(int edge, long windowStartMillis) {
        return edge + "@" + windowStartMillis;
    }

    /** The latencies (sorted, nanoseconds) of the probes of one period, and how many were emitted in it. */
    record Sample(long emitted, long[] latencies) {

        long unseen() {
            return emitted - latencies.length;
        }

        double percentileMillis(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, index))] / 1e6;
        }

        double maxMillis() {
            return latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6;
        }
    }
}
