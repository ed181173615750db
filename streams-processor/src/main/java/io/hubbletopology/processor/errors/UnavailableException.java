package io.hubbletopology.processor.errors;

/**
 * A part an answer needs cannot answer right now; asking again later may work. The subclasses say which part:
 * a store ({@link StoreUnavailableException}), the flows topic ({@link TopicUnavailableException}), another
 * instance ({@link PeerUnavailableException}).
 */
public abstract class UnavailableException extends QueryException {

    protected UnavailableException(String code, String message) {
        super(Reason.UNAVAILABLE, code, message);
    }
}
