package io.hubbletopology.api.live;

import java.util.List;

import org.eclipse.jetty.websocket.api.Callback;

/**
 * Where one live client's messages go: its WebSocket ({@link JettyFeedSocket}), or a test's fake. A sender hands
 * it a few messages back to back; {@code more} says another follows at once, so this one may wait in the socket's
 * buffer and go out in the same write.
 */
interface FeedSocket {

    /** Sends one whole text message; {@code done} completes once it is written, or at once when it waits for more. */
    void send(FeedUpdate message, boolean more, Callback done);

    /** Sends changes as one batch message ({@link FeedMessages#changes}); {@code done} completes once it is written. */
    default void sendChanges(List<FeedUpdate> changes, Callback done) {
        send(FeedMessages.changes(changes), false, done);
    }

    void close(int code, String reason);
}
