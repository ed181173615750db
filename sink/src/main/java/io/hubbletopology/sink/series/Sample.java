package io.hubbletopology.sink.series;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One point of one series, as remote write sends it: the series' labels ({@code __name__} among them) sorted by
 * name, a time in milliseconds since the epoch and a value. Built only from a record's content, so the same
 * record always gives the same samples: what makes a re-sent sample identical and a replay harmless.
 *
 * @param labels      label name to value, sorted by name; no empty values (Prometheus treats them as absent)
 * @param timestampMs the sample's time
 * @param value       the sample's value
 */
public record Sample(Map<String, String> labels, long timestampMs, double value) {

    public static final String NAME = "__name__";

    public Sample {
        Objects.requireNonNull(labels.get(NAME), "a sample needs " + NAME);
        TreeMap<String, String> sorted = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                sorted.put(k, v);
            }
        });
        labels = Collections.unmodifiableMap(sorted);
    }

    public String name() {
        return labels.get(NAME);
    }

    /** About what the sample costs in a write request, before compression: for bounding batches in bytes. */
    public int approximateBytes() {
        int bytes = 16;
        for (var label : labels.entrySet()) {
            bytes += label.getKey().length() + label.getValue().length() + 4;
        }
        return bytes;
    }
}
