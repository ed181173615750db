package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {

    private final ExecutorService refresher = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        refresher.shutdownNow();
    }

    private AnswerCache cache(Duration maxAge) {
        return new AnswerCache(maxAge, Duration.ofMinutes(1), 100, 1_000_000, refresher);
    }

    @Test
    void concurrentAskersOfANewQuestionShareOneComputation() throws Exception {
        AnswerCache cache = cache(Duration.ofSeconds(10));
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> askers = new ArrayList<>();
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> answers.add(cache.get("q", () -> {
                computed.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "answer";
            })));
            askers.add(t);
            t.start();
        }
        Thread.sleep(200);
        release.countDown();
        for (Thread t : askers) {
            t.join(5_000);
        }
        assertThat(computed.get()).isEqualTo(1);
        assertThat(answers).hasSize(20).containsOnly("answer");
        assertThat(cache.get("other", () -> "second")).isEqualTo("second");
    }

    @Test
    void aSparseAskerGetsAFreshAnswerNotTheOneMadeAtItsPreviousAsk() throws Exception {
        AnswerCache cache = cache(Duration.ofMillis(300));
        AtomicInteger computed = new AtomicInteger();
        assertThat(cache.get("q", () -> "v" + computed.incrementAndGet())).isEqualTo("v1");
        Thread.sleep(400);
        // Older than the maximum age: this asker waits for a new answer rather than getting v1.
        assertThat(cache.get("q", () -> "v" + computed.incrementAndGet())).isEqualTo("v2");
        Thread.sleep(400);
        assertThat(cache.get("q", () -> "v" + computed.incrementAndGet())).isEqualTo("v3");
    }

    @Test
    void aFrequentAskerIsServedAtOnceWhileOneRefreshRunsAhead() {
        AnswerCache cache = cache(Duration.ofMillis(400));
        AtomicInteger computed = new AtomicInteger();
        long start = System.nanoTime();
        List<Long> ages = new ArrayList<>();
        while (System.nanoTime() - start < Duration.ofSeconds(2).toNanos()) {
            String v = cache.get("q", () -> String.valueOf(System.nanoTime()));
            ages.add(System.nanoTime() - Long.parseLong(v));
        }
        // Every answer handed out was made at most the maximum age before it was asked for (plus this loop's step).
        assertThat(ages).allSatisfy(age -> assertThat(age).isLessThan(Duration.ofMillis(450).toNanos()));
        assertThat(ages.size()).as("answers served").isGreaterThan(1_000);
    }

    @Test
    void keepsNoFailedAnswer() {
        AnswerCache cache = cache(Duration.ofSeconds(1));
        assertThatThrownBy(() -> cache.get("bad", () -> {
            throw new IllegalStateException("stores not ready");
        })).hasMessage("stores not ready");
        assertThat(cache.get("bad", () -> "recovered")).isEqualTo("recovered");
    }

    @Test
    void keepsAtMostItsBoundOfQuestionsAndCharacters() {
        AnswerCache cache = new AnswerCache(Duration.ofSeconds(10), Duration.ofMinutes(1), 50, 10_000, refresher);
        for (int i = 0; i < 1_000; i++) {
            cache.get("q" + i, () -> "x".repeat(100));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(50);
        assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
        for (int i = 0; i < 100; i++) {
            cache.get("big" + i, () -> "y".repeat(3_000));
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
        // Too large to keep: served every time, kept never.
        assertThat(cache.get("huge", () -> "z".repeat(6_000))).hasSize(6_000);
        assertThat(cache.bytes()).isLessThanOrEqualTo(10_000);
    }
}
