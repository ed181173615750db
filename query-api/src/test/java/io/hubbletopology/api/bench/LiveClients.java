package io.hubbletopology.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many live-feed clients in this JVM, each reading as fast as it can. Every edge message carries the
 * {@link System#nanoTime()} at which the benchmark sent its record to Kafka ({@value #SENT}), so each
 * client records its delivery latency on receipt; a close from the server (an eviction: 1008) is counted by code.
 */
final class LiveClients implements AutoCloseable {

    static final String SENT = "bench_sent_nanos";
    private static final String MARKER = "\"" + SENT + "\":";
    /** Few selector threads: the clients share the machine's cores with the server under test. */
    private static final int HTTP_CLIENTS = 4;

    private final Latencies latencies = new Latencies();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final Map<Integer, AtomicLong> closes = new ConcurrentHashMap<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "live-client");
        t.setDaemon(true);
        return t;
    });
    private final List<HttpClient> http = new ArrayList<>();

    private LiveClients() {
        for (int i = 0; i < HTTP_CLIENTS; i++) {
            http.add(HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    /** Opens {@code count} clients, at most 50 handshakes at a time; fails when one is refused. */
    static LiveClients connect(URI uri, int count) throws Exception {
        LiveClients clients = new LiveClients();
        Semaphore handshakes = new Semaphore(50);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            handshakes.acquire();
            CompletableFuture<WebSocket> socket = clients.http.get(i % HTTP_CLIENTS).newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, clients.new Listener());
            socket.whenComplete((s, e) -> handshakes.release());
            opening.add(socket);
        }
        for (CompletableFuture<WebSocket> socket : opening) {
            clients.sockets.add(socket.get(60, TimeUnit.SECONDS));
        }
        return clients;
    }

    Latencies latencies() {
        return latencies;
    }

    /** Edge messages received that the benchmark sent (with a send time). */
    long delivered() {
        return delivered.get();
    }

    /** Messages without a send time (a snapshot, a link). */
    long otherMessages() {
        return other.get();
    }

    /** Closes the server sent, by close code. */
    Map<Integer, Long> closes() {
        Map<Integer, Long> out = new TreeMap<>();
        closes.forEach((code, n) -> out.put(code, n.get()));
        return out;
    }

    /** Waits until no message arrived for {@code quiet}, or {@code max} passed. */
    void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = delivered.get() + other.get();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange >= quiet.toNanos()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private void received(CharSequence message) {
        long now = System.nanoTime();
        String text = message.toString();
        int at = text.indexOf(MARKER);
        if (at < 0) {
            other.incrementAndGet();
            return;
        }
        int i = at + MARKER.length();
        long sent = 0;
        boolean negative = text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            sent = sent * 10 + (text.charAt(i++) - '0');
        }
        latencies.record(now - (negative ? -sent : sent));
        delivered.incrementAndGet();
    }

    @Override
    public void close() {
        for (WebSocket socket : sockets) {
            socket.abort();
        }
        executor.shutdownNow();
    }

    /** One client: reads one message at a time, as a browser does. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last && partial.isEmpty()) {
                received(data);
            } else {
                partial.append(data);
                if (last) {
                    received(partial);
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closes.computeIfAbsent(statusCode, c -> new AtomicLong()).incrementAndGet();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closes.computeIfAbsent(-1, c -> new AtomicLong()).incrementAndGet();
        }
    }
}
