package io.hubbletopology.api;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Serialised answers, made once and shared: many clients asking the same question (dashboards refreshing,
 * every browser opening the page) share one computation and one serialisation instead of each merging the
 * stores and writing megabytes of JSON.
 * <p>
 * Freshness is the rule: an asker is only ever handed an answer whose computation started at most
 * {@code maxAge} before it asked. When the last answer is older, the asker waits for a new one (one computation,
 * however many wait for it), so someone asking every few seconds gets a fresh answer each time, not the one
 * made at the previous ask. To keep frequent askers from waiting, an answer past half its age is replaced in
 * the background while it is still served.
 * <p>
 * An answer is kept encoded ({@link EncodedAnswer}): the same bytes go to every asker, and its gzip is made once,
 * by the computation itself for a question someone asked with gzip before, else by the first asker that wants it.
 * <p>
 * Bounded: at most {@code maxEntries} questions and {@code maxBytes} of encoded answers (JSON and gzip bytes) are
 * kept, the questions asked least recently going first; an answer larger than half the bound is served but not
 * kept; questions nobody asked for {@code forget} are dropped.
 */
final class AnswerCache {

    /** An answer and when its computation started (System.nanoTime). */
    private record Computed(EncodedAnswer answer, long started) {
    }

    private static final class Entry {
        volatile Computed current;
        CompletableFuture<Computed> inFlight;
        volatile long lastAsked;
        /** Once asked for with gzip, every later computation of the question makes its gzip too. */
        volatile boolean gzipAsked;
        /** The bytes of {@code current} counted in the cache's total (guarded by the cache). */
        long counted;
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final long maxAgeNanos;
    private final long forgetNanos;
    private final int maxEntries;
    private final long maxBytes;
    private final Executor refresher;

    AnswerCache(Duration maxAge, Duration forget, int maxEntries, long maxBytes, Executor refresher) {
        this.maxAgeNanos = maxAge.toNanos();
        this.forgetNanos = forget.toNanos();
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.refresher = refresher;
    }

    /**
     * The answer to a question, computed at most the maximum age before this call; with {@code gzip}, its gzip
     * bytes are made before it is returned.
     */
    EncodedAnswer get(String question, boolean gzip, Supplier<EncodedAnswer> compute) {
        EncodedAnswer answer = fresh(question, gzip, compute, System.nanoTime());
        if (gzip && !answer.gzipMade()) {
            answer.bytes(true);
            counted(question, answer);
        }
        return answer;
    }

    private EncodedAnswer fresh(String question, boolean gzip, Supplier<EncodedAnswer> compute, long asked) {
        Entry entry = entries.computeIfAbsent(question, q -> new Entry());
        entry.lastAsked = asked;
        if (gzip) {
            entry.gzipAsked = true;
        }
        while (true) {
            Computed c = entry.current;
            if (c != null && asked - c.started() <= maxAgeNanos) {
                if (asked - c.started() > maxAgeNanos / 2) {
                    refreshAhead(question, entry, compute);
                }
                return c.answer();
            }
            CompletableFuture<Computed> pending;
            boolean mine;
            synchronized (entry) {
                mine = entry.inFlight == null;
                if (mine) {
                    entry.inFlight = new CompletableFuture<>();
                }
                pending = entry.inFlight;
            }
            Computed fresh = mine ? compute(question, entry, pending, compute) : await(pending);
            if (fresh.started() - asked >= -maxAgeNanos) {
                return fresh.answer();
            }
            // A computation that started too long before this ask (a slow one): not fresh enough, go again.
        }
    }

    /** How many questions are kept, for tests and metrics. */
    int size() {
        return entries.size();
    }

    /** The bytes of the encoded answers kept. */
    long bytes() {
        return bytes.get();
    }

    private Computed compute(String question, Entry entry, CompletableFuture<Computed> pending, Supplier<EncodedAnswer> compute) {
        long started = System.nanoTime();
        try {
            Computed fresh = new Computed(compute.get(), started);
            if (entry.gzipAsked) {
                fresh.answer().bytes(true);
            }
            keep(question, entry, fresh);
            pending.complete(fresh);
            return fresh;
        } catch (RuntimeException e) {
            // A failed answer is not kept: the next asker tries again.
            pending.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (entry) {
                entry.inFlight = null;
            }
        }
    }

    private void refreshAhead(String question, Entry entry, Supplier<EncodedAnswer> compute) {
        CompletableFuture<Computed> pending;
        synchronized (entry) {
            if (entry.inFlight != null) {
                return;
            }
            pending = entry.inFlight = new CompletableFuture<>();
        }
        try {
            refresher.execute(() -> {
                try {
                    compute(question, entry, pending, compute);
                } catch (RuntimeException e) {
                    // The next asker past the maximum age computes it again and meets the error itself.
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: no refresh ahead; askers past the maximum age compute for themselves.
            synchronized (entry) {
                entry.inFlight = null;
            }
            pending.cancel(false);
        }
    }

    private synchronized void keep(String question, Entry entry, Computed fresh) {
        if (entries.get(question) != entry || fresh.answer().size() > maxBytes / 2) {
            // Evicted while it was computed, or too large to keep: served, not kept.
            return;
        }
        forget(entry);
        entry.current = fresh;
        entry.counted = fresh.answer().size();
        bytes.addAndGet(entry.counted);
        evict(fresh.started());
    }

    /** Counts the gzip bytes an asker made for a kept answer, and keeps the bound. */
    private synchronized void counted(String question, EncodedAnswer answer) {
        Entry entry = entries.get(question);
        Computed c = entry == null ? null : entry.current;
        if (c == null || c.answer() != answer || entry.counted == answer.size()) {
            return;
        }
        if (answer.size() > maxBytes / 2) {
            entries.remove(question, entry);
            forget(entry);
            return;
        }
        bytes.addAndGet(answer.size() - entry.counted);
        entry.counted = answer.size();
        evict(System.nanoTime());
    }

    private void evict(long now) {
        entries.entrySet().removeIf(e -> now - e.getValue().lastAsked > forgetNanos && forget(e.getValue()));
        while (entries.size() > maxEntries || bytes.get() > maxBytes) {
            var oldest = entries.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().lastAsked));
            if (oldest.isEmpty() || !entries.remove(oldest.get().getKey(), oldest.get().getValue())) {
                return;
            }
            forget(oldest.get().getValue());
        }
    }

    /** Releases an entry's bytes; always true, so it can sit in a removeIf. */
    private boolean forget(Entry entry) {
        entry.current = null;
        bytes.addAndGet(-entry.counted);
        entry.counted = 0;
        return true;
    }

    private static Computed await(CompletableFuture<Computed> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } catch (java.util.concurrent.CancellationException e) {
            throw new IllegalStateException("the answer was abandoned while shutting down");
        }
    }
}
