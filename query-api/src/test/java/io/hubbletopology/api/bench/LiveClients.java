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
 * Many live-feed clients in this JVM, each reading as fast as it can and keeping, per benchmark edge, the newest
 * state it holds (the edge's {@code flows}, see {@link EdgeUpdatePublisher}) and when it got it. On each edge
 * message a client records, for every state of that edge it did not hold yet, the time from that state's send to
 * now: how long the client's view took to reach that state or a newer one (convergence; a state skipped because a
 * newer one came instead counts as reached when the newer one came). A close from the server (an eviction: 1008)
 * is counted by code.
 */
final class LiveClients implements AutoCloseable {

    /** Few selector threads: the clients share the machine's cores with the server under test. */
    private static final int HTTP_CLIENTS = 4;

    private final EdgeUpdatePublisher states;
    private final Latencies convergence = new Latencies();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final Map<Integer, AtomicLong> closes = new ConcurrentHashMap<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "live-client");
        t.setDaemon(true);
        return t;
    });
    private final List<HttpClient> http = new ArrayList<>();

    private LiveClients(EdgeUpdatePublisher states) {
        this.states = states;
        for (int i = 0; i < HTTP_CLIENTS; i++) {
            http.add(HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    /** Opens {@code count} clients, at most 50 handshakes at a time; fails when one is refused. */
    static LiveClients connect(URI uri, int count, EdgeUpdatePublisher states) throws Exception {
        LiveClients clients = new LiveClients(states);
        Semaphore handshakes = new Semaphore(50);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            handshakes.acquire();
            Listener listener = clients.new Listener();
            clients.listeners.add(listener);
            CompletableFuture<WebSocket> socket = clients.http.get(i % HTTP_CLIENTS).newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener);
            socket.whenComplete((s, e) -> handshakes.release());
            opening.add(socket);
        }
        for (CompletableFuture<WebSocket> socket : opening) {
            clients.sockets.add(socket.get(60, TimeUnit.SECONDS));
        }
        return clients;
    }

    /** Every client holds the edges' current states: what the run's publishing starts from. */
    void startFrom(long[] flows) {
        for (Listener listener : listeners) {
            listener.startFrom(flows);
        }
    }

    /** Per (client, state sent during the run): time until the client held that state or a newer one. */
    Latencies convergence() {
        return convergence;
    }

    /**
     * For each edge's last state ({@code flows}): per (client, edge), the time from its send until the client
     * held it, and per edge the time until every client held it; pairs still without it are counted, not timed.
     */
    FinalConvergence finalConvergence(long[] flows) {
        Latencies perClient = new Latencies();
        Latencies everyClient = new Latencies();
        long missing = 0;
        for (int edge = 0; edge < flows.length; edge++) {
            long sent = states.sentNanos(edge, flows[edge]);
            long last = 0;
            boolean all = true;
            for (Listener listener : listeners) {
                long at = listener.heldAt(edge, flows[edge]);
                if (at == 0) {
                    missing++;
                    all = false;
                } else {
                    perClient.record(at - sent);
                    last = Math.max(last, at);
                }
            }
            if (all && sent != 0) {
                everyClient.record(last - sent);
            }
        }
        return new FinalConvergence(perClient, everyClient, missing, (long) flows.length * listeners.size());
    }

    record FinalConvergence(Latencies perClient, Latencies everyClient, long missing, long pairs) {
    }

    /** Edge messages received about the benchmark's edges. */
    long delivered() {
        return delivered.get();
    }

    /** Other messages (a snapshot, a link). */
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

    private static final String CLIENT = "/deployment/client-";
    private static final String SERVER = "/deployment/server-";
    private static final String FLOWS = "\"flows\":";

    /** The number right after {@code marker}'s first occurrence, or -1. */
    private static long numberAfter(String text, String marker) {
        int at = text.indexOf(marker);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        int i = at + marker.length();
        int start = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        return i == start ? -1 : value;
    }

    @Override
    public void close() {
        for (WebSocket socket : sockets) {
            socket.abort();
        }
        executor.shutdownNow();
    }

    /** One client: reads one message at a time, as a browser does, and keeps the newest state of each edge. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();
        private final long[] held = new long[states.edges()];
        private final long[] heldAt = new long[states.edges()];

        synchronized void startFrom(long[] flows) {
            System.arraycopy(flows, 0, held, 0, held.length);
            java.util.Arrays.fill(heldAt, 0);
        }

        /** When this client came to hold state {@code flows} of the edge (or a newer one), 0 if it does not. */
        synchronized long heldAt(int edge, long flows) {
            return held[edge] >= flows ? heldAt[edge] : 0;
        }

        private void received(CharSequence message) {
            long now = System.nanoTime();
            String text = message.toString();
            long client = numberAfter(text, CLIENT);
            long server = numberAfter(text, SERVER);
            long flows = numberAfter(text, FLOWS);
            int edge = (int) (server * 20 + client);
            if (client < 0 || server < 0 || flows < 0 || edge >= held.length) {
                other.incrementAndGet();
                return;
            }
            delivered.incrementAndGet();
            synchronized (this) {
                for (long state = held[edge] + 1; state <= flows; state++) {
                    long sent = states.sentNanos(edge, state);
                    if (sent != 0) {
                        convergence.record(now - sent);
                    }
                }
                if (flows > held[edge]) {
                    held[edge] = flows;
                    heldAt[edge] = now;
                }
            }
        }

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
