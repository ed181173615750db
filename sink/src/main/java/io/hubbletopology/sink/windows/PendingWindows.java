package io.hubbletopology.sink.windows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;

/**
 * The latest record of every edge window that is not final yet; mutable, owned by the sink's one thread.
 *
 * <p>A window is final when its end plus the grace is before the newest window start seen on its partition (the
 * processor has closed it: every edge's flows are counted by the one task that writes its partition, whose stream
 * time only moves on) or, once the sink has read its partition to the end, before the wall clock (traffic stopped,
 * so event time stands still). The wall clock is not asked while a partition is behind: after a restart, an early
 * record of a window may be followed by a later one in the part still to read.
 *
 * <p>Memory is bounded by {@code maxWindows}: at the bound the window with the earliest end is handed out as it
 * is, before it is final, and counted ({@link #forced()}); a later record of that window is then written again
 * and the TSDB keeps one of the two (Prometheus refuses a second value at the same time).
 *
 * <pre>{@code
 * PendingWindows pending = new PendingWindows(Duration.ofMinutes(1), 100_000);
 * pending.put("a -> b TCP/80@1795252800000", windowStart, windowEnd, held).ifPresent(ledger::release);
 * List<HeldRecord> finals = pending.takeFinal(System.currentTimeMillis(), tp -> consumer.currentLag(tp).orElse(1) == 0);
 * }</pre>
 */
public final class PendingWindows {

    private record Entry(String key, long windowEndMs, HeldRecord record) {
    }

    private static final Comparator<Entry> BY_END = Comparator.comparingLong(Entry::windowEndMs).thenComparing(Entry::key);

    private final long graceMs;
    private final int maxWindows;
    private final Map<String, Entry> byKey = new HashMap<>();
    private final TreeSet<Entry> byEnd = new TreeSet<>(BY_END);
    private final Map<TopicPartition, Long> newestStart = new HashMap<>();
    private long forced;

    public PendingWindows(Duration grace, int maxWindows) {
        this.graceMs = grace.toMillis();
        this.maxWindows = maxWindows;
    }

    /**
     * Holds the record as its window's latest.
     *
     * @return the record it replaces, whose offset no longer needs writing
     */
    public Optional<HeldRecord> put(String key, long windowStartMs, long windowEndMs, HeldRecord record) {
        newestStart.merge(record.partition(), windowStartMs, Math::max);
        Entry entry = new Entry(key, windowEndMs, record);
        Entry old = byKey.put(key, entry);
        if (old != null) {
            byEnd.remove(old);
        }
        byEnd.add(entry);
        return Optional.ofNullable(old).map(Entry::record);
    }

    /**
     * Removes and returns the records of the windows that are final now, and those over the bound, earliest end first.
     *
     * @param caughtUp whether the sink has read a partition to its end, so the wall clock may close its windows
     */
    public List<HeldRecord> takeFinal(long nowMs, Predicate<TopicPartition> caughtUp) {
        List<HeldRecord> out = new ArrayList<>();
        while (byKey.size() > maxWindows) {
            out.add(remove(byEnd.first()));
            forced++;
        }
        long latestThreshold = nowMs;
        for (long start : newestStart.values()) {
            latestThreshold = Math.max(latestThreshold, start);
        }
        Map<TopicPartition, Long> thresholds = new HashMap<>();
        List<Entry> finals = new ArrayList<>();
        for (Entry entry : byEnd) {
            if (entry.windowEndMs + graceMs >= latestThreshold) {
                break;
            }
            long threshold = thresholds.computeIfAbsent(entry.record.partition(), tp -> threshold(tp, nowMs, caughtUp));
            if (entry.windowEndMs + graceMs < threshold) {
                finals.add(entry);
            }
        }
        finals.forEach(entry -> out.add(remove(entry)));
        return out;
    }

    /** Forgets a partition this sink no longer reads: its next owner reads it again from the committed offset. */
    public void dropPartition(TopicPartition partition) {
        byKey.values().stream().filter(e -> e.record.partition().equals(partition)).toList().forEach(this::remove);
        newestStart.remove(partition);
    }

    public int size() {
        return byKey.size();
    }

    /** Windows handed out before they were final because the bound was reached. */
    public long forced() {
        return forced;
    }

    private long threshold(TopicPartition partition, long nowMs, Predicate<TopicPartition> caughtUp) {
        long eventTime = newestStart.getOrDefault(partition, Long.MIN_VALUE);
        return caughtUp.test(partition) ? Math.max(eventTime, nowMs) : eventTime;
    }

    private HeldRecord remove(Entry entry) {
        byKey.remove(entry.key);
        byEnd.remove(entry);
        return entry.record;
    }
}
