package io.hubbletopology.deploy.bench;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket listener that joins the frames of each text message and hands over the whole message with the
 * {@link System#nanoTime()} at which it was complete, so that a benchmark's receipt time is when the client could
 * first read it. Asks for one message at a time: the handler runs on one thread, in order.
 */
abstract class WholeTextListener implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();

    /**
     * One whole text message. The builder is reused for the next message once this returns: keep
     * {@code message.toString()}, not the builder.
     */
    protected abstract void onWholeText(StringBuilder message, long receivedNanos);

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long receivedNanos = System.nanoTime();
            onWholeText(partial, receivedNanos);
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }
}
