package io.hubbletopology.deploy.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each probe flow was written and when each stage first counted it. The probes of one edge travel in order,
 * so a state saying the edge has N flows in a window tells that its first N probes of that window are counted;
 * each probe's time at a stage is the first such state's arrival there. Thread-safe: the writer and several
 * readers (the WebSocket client, topic consumers) call it.
 */
final class ProbeArrivals {

    /** Where a probe was seen. */
    enum Stage { FLOWS_TOPIC, LIVE_TOPIC, EDGES_TOPIC, WEBSOCKET }

    private static final class Window {
        final List<Long> written = new ArrayList<>();
        final Map<Stage, long[]> seen = new HashMap<>();
        final Map<Stage, Integer> counted = new HashMap<>();
    }

    private final Map<String, Window> windows = new HashMap<>();

    private static String key(String target, long windowStart) {
        return target + "@" + windowStart;
    }

    synchronized void written(String target, long windowStart, long nanos) {
        windows.computeIfAbsent(key(target, windowStart), k -> new Window()).written.add(nanos);
    }

    /** A stage holds {@code flows} probes of the target's window, as of {@code nanos}. */
    synchronized void counted(Stage stage, String target, long windowStart, long flows, long nanos) {
        Window w = windows.get(key(target, windowStart));
        if (w == null) {
            return;
        }
        long[] seen = w.seen.computeIfAbsent(stage, s -> new long[4_096]);
        int before = w.counted.getOrDefault(stage, 0);
        int now = (int) Math.min(Math.min(flows, w.written.size()), seen.length);
        for (int i = before; i < now; i++) {
            seen[i] = nanos;
        }
        w.counted.put(stage, Math.max(before, now));
    }

    /** One flow at a stage on the flows topic: a probe is there once, so count it there by arrival. */
    synchronized void arrived(Stage stage, String target, long windowStart, long nanos) {
        Window w = windows.get(key(target, windowStart));
        counted(stage, target, windowStart, w == null ? 0 : w.counted.getOrDefault(stage, 0) + 1, nanos);
    }

    /** Milliseconds from writing to each stage, for the probes written between the two times (nanoTime). */
    synchronized Map<Stage, List<Double>> latencies(long fromNanos, long toNanos) {
        Map<Stage, List<Double>> out = new HashMap<>();
        for (Stage stage : Stage.values()) {
            out.put(stage, new ArrayList<>());
        }
        for (Window w : windows.values()) {
            for (int i = 0; i < w.written.size(); i++) {
                long written = w.written.get(i);
                if (written < fromNanos || written >= toNanos) {
                    continue;
                }
                for (Stage stage : Stage.values()) {
                    if (i < w.counted.getOrDefault(stage, 0)) {
                        out.get(stage).add((w.seen.get(stage)[i] - written) / 1e6);
                    }
                }
            }
        }
        return out;
    }

    /** How many probes were written between the two times. */
    synchronized int written(long fromNanos, long toNanos) {
        return (int) windows.values().stream().flatMap(w -> w.written.stream()).filter(t -> t >= fromNanos && t < toNanos).count();
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
