package io.hubbletopology.processor.errors;

/** A topic did not hand over records it holds within the query's patience: the answer would be incomplete. */
public final class TopicUnavailableException extends UnavailableException {

    public TopicUnavailableException(String message) {
        super("kafka_unavailable", message);
    }
}
