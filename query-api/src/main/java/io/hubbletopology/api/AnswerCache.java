package io.hubbletopology.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Serialised answers, made once and served to every asker: many clients asking the same question (dashboards
 * refreshing, every browser opening the page) share one computation and one serialisation instead of each
 * merging the stores and writing megabytes of JSON. The first asker of a question computes it (others wait for
 * that one); afterwards askers get the last answer at once, and when it is older than the refresh interval
 * one background refresh replaces it. An answer is thus at most the refresh interval plus one computation old;
 * the topology itself only changes at each commit of the processor. Questions nobody asked for a while are
 * forgotten.
 */
final class AnswerCache {

    private static final class Entry {
        final CompletableFuture<String> first = new CompletableFuture<>();
        final AtomicBoolean refreshing = new AtomicBoolean();
        volatile String value;
        volatile long freshUntil;
        volatile long lastAsked;
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long refreshNanos;
    private final long forgetNanos;
    private final Executor refresher;

    AnswerCache(Duration refresh, Duration forget, Executor refresher) {
        this.refreshNanos = refresh.toNanos();
        this.forgetNanos = forget.toNanos();
        this.refresher = refresher;
    }

    String get(String question, Supplier<String> compute) {
        long now = System.nanoTime();
        Entry mine = new Entry();
        Entry entry = entries.computeIfAbsent(question, q -> mine);
        entry.lastAsked = now;
        if (entry == mine) {
            forgetUnasked(now);
            try {
                String value = compute.get();
                entry.value = value;
                entry.freshUntil = System.nanoTime() + refreshNanos;
                entry.first.complete(value);
                return value;
            } catch (RuntimeException e) {
                // A failed answer is not kept: the next asker tries again.
                entries.remove(question, entry);
                entry.first.completeExceptionally(e);
                throw e;
            }
        }
        String value = entry.value;
        if (value == null) {
            return await(entry.first);
        }
        if (now - entry.freshUntil > 0 && entry.refreshing.compareAndSet(false, true)) {
            refresh(entry, compute);
        }
        return value;
    }

    private void refresh(Entry entry, Supplier<String> compute) {
        try {
            refresher.execute(() -> {
                try {
                    entry.value = compute.get();
                    entry.freshUntil = System.nanoTime() + refreshNanos;
                } catch (RuntimeException e) {
                    // Keep serving the last answer; the next asker after the interval tries again.
                    entry.freshUntil = System.nanoTime() + refreshNanos;
                } finally {
                    entry.refreshing.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: the last answer stays.
            entry.refreshing.set(false);
        }
    }

    private void forgetUnasked(long now) {
        entries.values().removeIf(e -> now - e.lastAsked > forgetNanos && e.first.isDone());
    }

    private static String await(CompletableFuture<String> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
