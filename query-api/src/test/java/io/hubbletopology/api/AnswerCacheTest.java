package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AnswerCacheTest {

    @Test
    void concurrentAskersOfTheSameQuestionShareOneComputation() throws Exception {
        AnswerCache cache = new AnswerCache(Duration.ofSeconds(10));
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> askers = new ArrayList<>();
        List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
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
    void computesAgainAfterItsTimeAndAfterAFailure() throws Exception {
        AnswerCache cache = new AnswerCache(Duration.ofMillis(50));
        AtomicInteger computed = new AtomicInteger();
        cache.get("q", () -> "v" + computed.incrementAndGet());
        Thread.sleep(80);
        assertThat(cache.get("q", () -> "v" + computed.incrementAndGet())).isEqualTo("v2");
        assertThatThrownBy(() -> cache.get("bad", () -> {
            throw new IllegalStateException("stores not ready");
        })).hasMessage("stores not ready");
        assertThat(cache.get("bad", () -> "recovered")).isEqualTo("recovered");
    }
}
