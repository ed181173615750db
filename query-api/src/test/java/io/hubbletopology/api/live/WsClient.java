package io.hubbletopology.api.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A WebSocket client for tests: collects messages, or (not reading) lets them pile up in the network. */
public final class WsClient implements WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    public volatile String closeReason;
    private final boolean reads;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WsClient(boolean reads) {
        this.reads = reads;
    }

    public static WsClient connect(String url, String bearer) throws Exception {
        return connect(url, bearer, true);
    }

    /** A client that never reads after the handshake: the server's sends stall once the buffers are full. */
    public static WsClient connectNotReading(String url) throws Exception {
        return connect(url, null, false);
    }

    /** A browser's client: it says which page (origin) opened it. */
    public static WsClient connectWithOrigin(String url, String origin) throws Exception {
        return connect(url, null, true, origin);
    }

    /** The HTTP status a server refused the handshake with; fails when the server upgraded. */
    public static int handshakeRefusal(String url, String bearer, String origin) throws Exception {
        try {
            connect(url, bearer, true, origin).close();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("the server upgraded " + url);
    }

    private static WsClient connect(String url, String bearer, boolean reads) throws Exception {
        return connect(url, bearer, reads, null);
    }

    private static WsClient connect(String url, String bearer, boolean reads, String origin) throws Exception {
        WsClient client = new WsClient(reads);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        client.socket = builder.buildAsync(URI.create(url), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reads) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException("the server sent something that is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(-1);
    }

    /** A client that did not read starts reading: what piled up arrives, then the close frame if there was one. */
    public void startReading() {
        socket.request(Long.MAX_VALUE);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends without waiting: a frame the server refuses may never complete on this side. */
    public void sendAsync(String text) {
        socket.sendText(text, true);
    }

    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    public long countOfType(String type) {
        return messages.stream().filter(m -> type.equals(m.path("type").asText())).count();
    }
}
