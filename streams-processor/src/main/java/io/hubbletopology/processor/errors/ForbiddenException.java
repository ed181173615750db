package io.hubbletopology.processor.errors;

/** The asker is known but may not have what it asked for. */
public final class ForbiddenException extends QueryException {

    public ForbiddenException(String message) {
        super(Reason.FORBIDDEN, "forbidden", message);
    }
}
