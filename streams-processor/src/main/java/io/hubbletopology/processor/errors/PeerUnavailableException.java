package io.hubbletopology.processor.errors;

/** Another instance did not answer as expected: its part of a whole-cluster answer is missing. */
public final class PeerUnavailableException extends UnavailableException {

    public PeerUnavailableException(String message) {
        super("peer_unavailable", message);
    }
}
