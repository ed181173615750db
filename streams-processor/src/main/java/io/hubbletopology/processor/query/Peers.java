package io.hubbletopology.processor.query;

import java.util.concurrent.CompletableFuture;

/**
 * How this instance reaches the other instances of the application to ask for their part of an answer: the
 * query API's peer protocol over HTTP. A failed future (timeout, refusal, an answer in another shape) makes the
 * instance's partitions missing from the merged answer, with the failure as the reason.
 */
@FunctionalInterface
public interface Peers {

    /**
     * @param address the instance's {@code application.server}, {@code host:port}; null when it advertises none
     */
    <T> CompletableFuture<Partitioned<T>> ask(String address, PeerQuestion<T> question);
}
