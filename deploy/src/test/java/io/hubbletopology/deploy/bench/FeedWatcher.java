package io.hubbletopology.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A live-map client on {@code /ws/topology} with no filter, as a dashboard would be: it sees every edge update
 * and keeps, per edge and window, the latest flow count. Their sum is how many flows have become visible end
 * to end; the probe edges' counts go to the {@link ProbeLedger}. Messages are handled on arrival, so the
 * receipt time is taken as soon as the client has the whole message.
 */
final class FeedWatcher extends WholeTextListener implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeLedger ledger;
    // Touched only by the listener, which gets one message at a time.
    private final Map<String, Long> counted = new HashMap<>();
    private final AtomicLong visible = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private WebSocket socket;

    private FeedWatcher(ProbeLedger ledger) {
        this.ledger = ledger;
    }

    static FeedWatcher connect(String wsUrl, ProbeLedger ledger) {
        FeedWatcher watcher = new FeedWatcher(ledger);
        watcher.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(wsUrl), watcher).orTimeout(15, TimeUnit.SECONDS).join();
        return watcher;
    }

    /** Flows counted by the edge updates received so far, over every edge and window. */
    long visibleFlows() {
        return visible.get();
    }

    long messages() {
        return messages.get();
    }

    /** Why the server closed the feed, or null while it is open. */
    String closeReason() {
        return closed.getNow(null);
    }

    @Override
    protected void onWholeText(StringBuilder text, long receivedNanos) {
        messages.incrementAndGet();
        JsonNode message;
        try {
            message = JSON.readTree(text.toString());
        } catch (Exception e) {
            return;
        }
        JsonNode edge = message.path("edge");
        if (!"edge".equals(message.path("type").asText()) || !edge.hasNonNull("window_start")) {
            // Links, and the snapshot's edges summed over several windows: not per-window counts.
            return;
        }
        long windowStart = Instant.parse(edge.path("window_start").asText()).toEpochMilli();
        long flows = edge.path("flows").asLong();
        int port = edge.path("port").asInt();
        // As the feed's contract says (README, openapi.json EdgeMessage): an update carries its window's figures so far,
        // so the latest (the largest) per edge key and window counts, and windows add up.
        String key = edge.path("key").asText() + "@" + windowStart;
        long before = counted.getOrDefault(key, 0L);
        if (flows > before) {
            counted.put(key, flows);
            visible.addAndGet(flows - before);
        }
        if (ProbeFlows.NAMESPACE.equals(edge.path("src_namespace").asText()) && port >= ProbeFlows.FIRST_PORT
                && port < ProbeFlows.FIRST_PORT + ProbeFlows.EDGES) {
            ledger.counted(port - ProbeFlows.FIRST_PORT, windowStart, flows, receivedNanos);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error: " + error);
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "benchmark done");
        }
    }
}
