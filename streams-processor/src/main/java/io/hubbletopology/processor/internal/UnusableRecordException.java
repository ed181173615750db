package io.hubbletopology.processor.internal;

/**
 * A record decoded fine but lacks what the model needs. Thrown inside the topology; the processing
 * exception handler sends the record to the dead-letter topic with this message as the reason and goes on.
 */
public final class UnusableRecordException extends RuntimeException {

    public UnusableRecordException(String reason) {
        super(reason, null, false, false);
    }
}
