package io.hubbletopology.sink;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between attempts at one write: doubling from 250 ms up to a cap, each drawn from its upper half so that
 * several sinks cut off by one TSDB restart do not all come back in the same instant.
 */
final class RetryDelays {

    private static final Duration FIRST = Duration.ofMillis(250);

    private final Duration cap;
    private Duration current;

    RetryDelays(Duration cap) {
        this.cap = cap;
        this.current = FIRST.compareTo(cap) <= 0 ? FIRST : cap;
    }

    Duration next() {
        long ceiling = current.toMillis();
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1);
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(cap) <= 0 ? doubled : cap;
        return Duration.ofMillis(delay);
    }
}
