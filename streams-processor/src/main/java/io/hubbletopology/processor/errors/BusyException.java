package io.hubbletopology.processor.errors;

import java.time.Duration;

/**
 * Every worker a request needs was taken for longer than it may wait. Expected under load, so it is counted,
 * not logged with a stack trace; the answer says when to ask again.
 */
public final class BusyException extends QueryException {

    private final Duration retryAfter;

    public BusyException(String message, Duration retryAfter) {
        super(Reason.BUSY, "busy", message);
        this.retryAfter = retryAfter;
    }

    /** When to ask again; whole seconds, at least one, as {@code Retry-After} writes it. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
