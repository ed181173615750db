package io.hubbletopology.ingest.hubble;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: doubling from a first delay up to a cap, each drawn at random from its upper half so
 * that agents on many nodes, cut off by one Relay restart, do not all come back in the same instant.
 * Never more than the cap.
 */
final class Backoff {

    private final Duration first;
    private final Duration cap;
    private final DoubleSupplier random;
    private Duration current;

    Backoff(Duration first, Duration cap, DoubleSupplier random) {
        this.first = first.compareTo(cap) <= 0 ? first : cap;
        this.cap = cap;
        this.random = random;
        this.current = this.first;
    }

    /** The delay before the next attempt; the one after it will be about twice as long, up to the cap. */
    Duration next() {
        long ceiling = current.toMillis();
        long delay = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(cap) <= 0 ? doubled : cap;
        return Duration.ofMillis(delay);
    }

    /** After a stream that delivered: the next failure starts from the first delay again. */
    void reset() {
        current = first;
    }
}
