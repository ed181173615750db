package io.hubbletopology.processor.errors;

/** Nothing answers to what was asked for (a path, say). */
public final class NotFoundException extends QueryException {

    public NotFoundException(String message) {
        super(Reason.NOT_FOUND, "not_found", message);
    }
}
