package io.hubbletopology.processor.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store's answer as one instance holds it: the items of each partition that answered, and why the others it
 * was asked for did not. Kept per partition so that a merge across instances can tell exactly which partitions
 * it covers (and take each only once), rather than trusting who was believed to hold what.
 *
 * @param items    per partition that answered, its items (possibly none)
 * @param failures per partition asked for that could not answer, the reason
 */
public record Partitioned<T>(Map<Integer, List<T>> items, Map<Integer, String> failures) {

    public Partitioned {
        TreeMap<Integer, List<T>> copy = new TreeMap<>();
        items.forEach((p, list) -> copy.put(p, List.copyOf(list)));
        items = Collections.unmodifiableMap(copy);
        failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    }

    public static <T> Partitioned<T> empty() {
        return new Partitioned<>(Map.of(), Map.of());
    }

    /** Every item of every partition that answered. */
    public List<T> all() {
        List<T> out = new ArrayList<>();
        items.values().forEach(out::addAll);
        return out;
    }
}
