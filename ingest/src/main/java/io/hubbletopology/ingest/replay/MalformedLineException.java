package io.hubbletopology.ingest.replay;

/** A replay line that cannot be used; the message says why, for the report. */
final class MalformedLineException extends Exception {

    MalformedLineException(String message) {
        super(message);
    }
}
