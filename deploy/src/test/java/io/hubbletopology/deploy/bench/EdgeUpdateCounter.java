package io.hubbletopology.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of {@code /ws/topology} beside the page, counting the edge updates the feed sends: what the page has to
 * apply. Counts text, not JSON, so that the counting costs the machine little while the page is measured.
 */
final class EdgeUpdateCounter extends WholeTextListener implements AutoCloseable {

    private final AtomicLong edgeUpdates = new AtomicLong();
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
    protected void onWholeText(StringBuilder message, long receivedNanos) {
        // One message per edge update ({"type":"edge",...}); the snapshot's edges count too.
        if (message.indexOf("\"type\":\"edge\"") >= 0) {
            edgeUpdates.incrementAndGet();
        }
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "benchmark done");
        }
    }
}
