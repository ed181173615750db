package io.hubbletopology.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of {@code /ws/topology} beside the page, counting the edge updates the feed sends: what the page has to
 * apply. Counts text, not JSON, so that the counting costs the machine little while the page is measured.
 */
final class EdgeUpdateCounter implements WebSocket.Listener, AutoCloseable {

    private final AtomicLong edgeUpdates = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static EdgeUpdateCounter connect(String wsUrl) {
        EdgeUpdateCounter counter = new EdgeUpdateCounter();
        counter.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(wsUrl), counter).orTimeout(15, TimeUnit.SECONDS).join();
        return counter;
    }

    long edgeUpdates() {
        return edgeUpdates.get();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            // One message per edge update ({"type":"edge",...}); the snapshot's edges count too.
            if (partial.indexOf("\"type\":\"edge\"") >= 0) {
                edgeUpdates.incrementAndGet();
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "benchmark done");
        }
    }
}
