package io.hubbletopology.flowfilter;

/**
 * A filter value that cannot be used (a malformed CIDR, regular expression, label selector or port), or a
 * filter field this server does not implement. The caller answers it as bad input naming {@link #field()}:
 * INVALID_ARGUMENT over gRPC, 400 over REST. Never a silently wrong answer.
 */
public final class InvalidFilterException extends IllegalArgumentException {

    private final String field;

    public InvalidFilterException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The FlowFilter field (proto name) the bad value was given for. */
    public String field() {
        return field;
    }
}
