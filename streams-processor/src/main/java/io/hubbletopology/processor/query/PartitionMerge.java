package io.hubbletopology.processor.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;


/**
 * Merges the parts of one store's answer, counting in partitions: each partition is taken from the first part
 * that answered it (so no partition counts twice when two instances both answer it during a handover), and the
 * answer is whole only when every partition of {@code [0, total)} was taken. For each one that was not, it keeps
 * who was believed to hold it and why it did not come, for {@link Answer#missing()}.
 *
 * <pre>{@code
 * PartitionMerge<EdgeStats> merge = new PartitionMerge<>(6);
 * merge.answered("10.0.0.1:8080", mine);
 * merge.failed("10.0.0.2:8080", Set.of(1, 4), "HttpTimeoutException: request timed out");
 * Answer<List<EdgeStats>> answer = merge.result();   // partial, missing partitions 1 and 4 of 10.0.0.2:8080
 * }</pre>
 */
final class PartitionMerge<T> {

    static final String UNASSIGNED = "unassigned";
    static final String UNASSIGNED_REASON = "no instance that can be asked holds it: a rebalance is in progress, "
            + "or it is held by an instance that advertises no address (application.server)";
    static final String MOVED = "not active there any more (a rebalance is moving it)";

    private record Holder(String instance, String reason) {
    }

    private final int total;
    private final Map<Integer, List<T>> covered = new TreeMap<>();
    private final Map<Integer, Holder> why = new TreeMap<>();

    PartitionMerge(int total) {
        this.total = total;
    }

    /**
     * An instance's part: the partitions it answered are taken unless taken already; those it was believed to
     * hold ({@code believed}) but did not answer are moving elsewhere.
     */
    void answered(String instance, Partitioned<T> part, Set<Integer> believed) {
        part.items().forEach((p, items) -> {
            if (p >= 0 && p < total) {
                covered.putIfAbsent(p, items);
            }
        });
        part.failures().forEach((p, reason) -> why.putIfAbsent(p, new Holder(instance, reason)));
        for (int p : believed) {
            why.putIfAbsent(p, new Holder(instance, MOVED));
        }
    }

    /** An instance believed to hold these partitions could not be asked. */
    void failed(String instance, Set<Integer> believed, String reason) {
        for (int p : believed) {
            why.putIfAbsent(p, new Holder(instance, reason));
        }
    }

    /** The partitions no part answered yet. */
    Set<Integer> uncovered() {
        Set<Integer> out = new TreeSet<>();
        for (int p = 0; p < total; p++) {
            if (!covered.containsKey(p)) {
                out.add(p);
            }
        }
        return out;
    }

    Answer<List<T>> result() {
        List<T> items = new ArrayList<>();
        covered.values().forEach(items::addAll);
        Map<Holder, List<Integer>> grouped = new LinkedHashMap<>();
        for (int p : uncovered()) {
            grouped.computeIfAbsent(why.getOrDefault(p, new Holder(UNASSIGNED, UNASSIGNED_REASON)), h -> new ArrayList<>()).add(p);
        }
        List<Answer.Missing> missing = new ArrayList<>();
        grouped.forEach((holder, partitions) -> missing.add(new Answer.Missing(holder.instance(), partitions, holder.reason())));
        return new Answer<>(items, missing);
    }
}
