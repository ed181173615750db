package io.hubbletopology.sink.offsets;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition the TSDB does not have yet, and so how far the sink may commit: up to the oldest
 * record still held (pending its window's end, or queued for writing), or everything read when none is held.
 * Committing only that far is what makes delivery at least once: after a crash the sink reads again every record
 * whose samples might be missing. Mutable, owned by the sink's one thread.
 *
 * <pre>{@code
 * ledger.read(tp, 41); ledger.hold(tp, 41);  // a record the TSDB does not have yet
 * ledger.release(tp, 41);                    // written (or replaced by a later record of its window)
 * consumer.commitSync(ledger.committable()); // {tp: 42}
 * }</pre>
 */
public final class OffsetLedger {

    private final Map<TopicPartition, Long> nextToRead = new HashMap<>();
    private final Map<TopicPartition, TreeMap<Long, Integer>> held = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    public void read(TopicPartition partition, long offset) {
        nextToRead.merge(partition, offset + 1, Math::max);
    }

    public void hold(TopicPartition partition, long offset) {
        held.computeIfAbsent(partition, p -> new TreeMap<>()).merge(offset, 1, Integer::sum);
    }

    public void release(TopicPartition partition, long offset) {
        TreeMap<Long, Integer> offsets = held.get(partition);
        if (offsets != null) {
            offsets.computeIfPresent(offset, (o, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The offsets to commit that moved since the last {@link #committed}: one per partition. */
    public Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        nextToRead.forEach((partition, next) -> {
            TreeMap<Long, Integer> offsets = held.get(partition);
            long upTo = offsets == null || offsets.isEmpty() ? next : offsets.firstKey();
            if (!Long.valueOf(upTo).equals(committed.get(partition))) {
                out.put(partition, new OffsetAndMetadata(upTo));
            }
        });
        return out;
    }

    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    /** Records still held on all partitions. */
    public int heldRecords() {
        return held.values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
    }

    public void forget(TopicPartition partition) {
        nextToRead.remove(partition);
        held.remove(partition);
        committed.remove(partition);
    }
}
