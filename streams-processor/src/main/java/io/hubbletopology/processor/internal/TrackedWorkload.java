package io.hubbletopology.processor.internal;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.hubbletopology.processor.output.Workload;

/**
 * A workload of the inventory as the store keeps it: the model's view, and when each pod was last seen, so
 * pods that are gone (longer ago than the retention) fall out and the list stays bounded.
 *
 * @param workload      what consumers see
 * @param podLastSeenMs each pod's last sighting, epoch millis
 */
record TrackedWorkload(Workload workload, Map<String, Long> podLastSeenMs) {

    static TrackedWorkload empty() {
        return new TrackedWorkload(null, Map.of());
    }

    TrackedWorkload add(WorkloadSighting s, long retentionMs) {
        Map<String, Long> pods = new TreeMap<>(podLastSeenMs);
        pods.merge(s.pod(), s.timeMs(), Math::max);
        long lastSeen = Math.max(s.timeMs(), workload == null ? Long.MIN_VALUE : workload.lastSeen().toEpochMilli());
        pods.values().removeIf(t -> t < lastSeen - retentionMs);
        if (pods.size() > Workload.MAX_PODS) {
            Map<String, Long> newest = new LinkedHashMap<>();
            pods.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .limit(Workload.MAX_PODS).forEach(e -> newest.put(e.getKey(), e.getValue()));
            pods = new TreeMap<>(newest);
        }
        // The labels of the latest sighting: pods of one workload share their template's labels, and a rollout
        // that changes them should show.
        boolean latest = workload == null || s.timeMs() >= workload.lastSeen().toEpochMilli();
        Map<String, String> labels = latest ? s.labels() : workload.labels();
        Workload w = new Workload(Workload.SCHEMA, s.id(), s.cluster(), s.namespace(), s.kind(), s.name(),
                new TreeMap<>(labels), pods.keySet().stream().toList(), Instant.ofEpochMilli(lastSeen));
        return new TrackedWorkload(w, pods);
    }
}
