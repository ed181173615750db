package io.hubbletopology.api;

import java.time.Duration;

/**
 * Every worker a request needs was taken for longer than it may wait: answered with 503, a {@code Retry-After}
 * header and a JSON body. Expected under load, so it is counted, not logged with a stack trace.
 */
public final class BusyException extends RuntimeException {

    private final Duration retryAfter;

    public BusyException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    /** When to ask again; whole seconds, at least one, as {@code Retry-After} writes it. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
