package io.hubbletopology.processor.errors;

import java.time.Instant;

/** The whole range asked for is older than what the topic still holds: not an empty success. */
public final class BeyondRetentionException extends QueryException {

    private final Instant earliest;

    public BeyondRetentionException(Instant since, Instant until, Instant earliest) {
        super(Reason.GONE, "beyond_retention", "the range " + since + " .. " + until
                + " is older than the flows topic's retention: the oldest flow kept is from " + earliest);
        this.earliest = earliest;
    }

    /** The oldest record still kept. */
    public Instant earliest() {
        return earliest;
    }
}
