package io.hubbletopology.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Serialised answers kept for a moment, so that many clients asking the same question at once (dashboards
 * refreshing, every browser opening the page) share one computation and one serialisation instead of each
 * merging the stores and writing megabytes of JSON. Single flight: concurrent askers of a missing answer wait
 * for the one computing it. The topology only changes at each commit of the processor, so a second's reuse
 * loses nothing.
 */
final class AnswerCache {

    private record Entry(long expiresNanos, CompletableFuture<String> answer) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;

    AnswerCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    String get(String key, Supplier<String> compute) {
        long now = System.nanoTime();
        Entry mine = new Entry(now + ttlNanos, new CompletableFuture<>());
        Entry entry = entries.compute(key, (k, old) -> old == null || old.expiresNanos() - now <= 0 ? mine : old);
        if (entry == mine) {
            try {
                mine.answer().complete(compute.get());
            } catch (RuntimeException e) {
                // A failed answer is not kept: the next asker tries again.
                entries.remove(key, mine);
                mine.answer().completeExceptionally(e);
            }
            entries.values().removeIf(e -> e.expiresNanos() - now <= 0 && e.answer().isDone());
        }
        try {
            return entry.answer().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
