package io.hubbletopology.deploy.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live-map client as a browser page would be written: when the connection drops it tries again every half
 * second until the server answers, and counts the edge updates it receives.
 */
final class ReconnectingWsClient implements AutoCloseable {

    private final URI uri;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong edgeMessages = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread loop;
    private volatile boolean closed;
    private volatile WebSocket socket;

    ReconnectingWsClient(String url) {
        this.uri = URI.create(url);
        this.loop = new Thread(this::run, "reconnecting-ws-client");
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        while (!closed) {
            WebSocket current = socket;
            if (current == null || current.isInputClosed()) {
                try {
                    socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
                            .buildAsync(uri, new Listener()).get(5, TimeUnit.SECONDS);
                    connections.incrementAndGet();
                } catch (Exception e) {
                    socket = null;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Connections made so far: 2 after one reconnect. */
    int connections() {
        return connections.get();
    }

    long edgeMessages() {
        return edgeMessages.get();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (partial.indexOf("\"type\":\"edge\"") >= 0) {
                    edgeMessages.incrementAndGet();
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }
}
