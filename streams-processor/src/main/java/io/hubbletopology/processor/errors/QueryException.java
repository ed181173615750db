package io.hubbletopology.processor.errors;

/**
 * Why a question about the topology got no answer, for whoever asked: every surface (REST, the live feeds, gRPC)
 * maps the {@link #reason()} to its own status in one place ({@code api/QueryStatus}), and writes the
 * {@link #code()} and message for the client. Expected conditions, so no stack trace is filled in.
 *
 * <pre>{@code
 * throw new BadParameterException("port", "'x' is not a port number (0..65535)");
 * }</pre>
 */
public abstract class QueryException extends RuntimeException {

    /** What went wrong, as the status a surface answers with. */
    public enum Reason {
        /** The question is malformed: a parameter cannot be used. */
        BAD_PARAMETER,
        /** What was asked for does not exist. */
        NOT_FOUND,
        /** The asker may not have it. */
        FORBIDDEN,
        /** It existed but is gone: older than what is still kept. */
        GONE,
        /** Every worker the answer needs is taken: ask again later. */
        BUSY,
        /** A part the answer needs (a store, Kafka, a peer) cannot answer right now. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final String code;

    protected QueryException(Reason reason, String code, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.code = code;
    }

    public Reason reason() {
        return reason;
    }

    /** The short machine-readable name clients see ({@code "error"} in a JSON body): {@code bad_parameter}, ... */
    public String code() {
        return code;
    }
}
