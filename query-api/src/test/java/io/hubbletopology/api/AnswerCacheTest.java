package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

    @Test
    void concurrentAskersOfANewQuestionShareOneComputation() throws Exception {
        AnswerCache cache = new AnswerCache(Duration.ofSeconds(10), Duration.ofMinutes(1), refresher);
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
    void servesTheLastAnswerWhileOneBackgroundRefreshReplacesIt() throws Exception {
        AnswerCache cache = new AnswerCache(Duration.ofMillis(500), Duration.ofMinutes(1), refresher);
        AtomicInteger computed = new AtomicInteger();
        assertThat(cache.get("q", () -> "v" + computed.incrementAndGet())).isEqualTo("v1");
        Thread.sleep(600);
        // Out of date: the asker still gets v1 at once, and one refresh runs.
        assertThat(cache.get("q", () -> "v" + computed.incrementAndGet())).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> cache.get("q", () -> "v" + computed.incrementAndGet()).equals("v2"));
        assertThat(computed.get()).as("one refresh, however many askers").isEqualTo(2);
    }

    @Test
    void keepsNoFailedAnswer() {
        AnswerCache cache = new AnswerCache(Duration.ofSeconds(1), Duration.ofMinutes(1), refresher);
        assertThatThrownBy(() -> cache.get("bad", () -> {
            throw new IllegalStateException("stores not ready");
        })).hasMessage("stores not ready");
        assertThat(cache.get("bad", () -> "recovered")).isEqualTo("recovered");
    }
}
