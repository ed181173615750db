package io.hubbletopology.api.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many live-feed clients in this JVM, each reading as fast as it can and keeping, per benchmark edge, the newest
 * state it holds (the edge's {@code flows}, see {@link EdgeUpdatePublisher}) and when it got it. On each edge
 * message a client records, for every state of that edge it did not hold yet, the time from that state's send to
 * now: how long the client's view took to reach that state or a newer one (convergence; a state skipped because a
 * newer one came instead counts as reached when the newer one came). A close from the server (an eviction: 1008)
 * is counted by code.
 *
 * <p>The clients are {@link LeanWebSockets}: two selector threads read every socket and each message is looked at
 * as bytes, where java.net.http's WebSocket decoded every message to chars and hopped threads per message, which
 * in the same JVM and on the same cores as the server under test made the benchmark its own limit. Each client
 * still reads every message the server sends it, as fast as it can, one at a time.
 */
final class LiveClients implements AutoCloseable {

    /** Few selector threads: the clients share the machine's cores with the server under test. */
    private static final int READER_THREADS = 2;

    private final EdgeUpdatePublisher states;
    private final Latencies convergence = new Latencies();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final Map<Integer, AtomicLong> closes = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final LeanWebSockets sockets;

    private LiveClients(EdgeUpdatePublisher states, int receiveBuffer) throws Exception {
        this.states = states;
        this.sockets = new LeanWebSockets(READER_THREADS, receiveBuffer);
    }

    /** Opens {@code count} clients, 8 handshakes at a time, each with this SO_RCVBUF (0: the system's); fails when one is refused. */
    static LiveClients connect(URI uri, int count, EdgeUpdatePublisher states, int receiveBuffer) throws Exception {
        LiveClients clients = new LiveClients(states, receiveBuffer);
        ExecutorService handshakes = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> opening = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Listener listener = clients.new Listener();
                clients.listeners.add(listener);
                opening.add(handshakes.submit(() -> {
                    clients.sockets.open(uri, listener);
                    return null;
                }));
            }
            for (Future<?> open : opening) {
                open.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            clients.close();
            throw e;
        } finally {
            handshakes.shutdownNow();
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

    /** How every edge message starts, alone or inside a batch; its record inside has no "type". */
    private static final BytePattern EDGE = new BytePattern("{\"type\":\"edge\",");
    private static final BytePattern CLIENT = new BytePattern("/deployment/client-");
    private static final BytePattern SERVER = new BytePattern("/deployment/server-");
    private static final BytePattern FLOWS = new BytePattern("\"flows\":");

    /** Where {@code marker}'s first occurrence in {@code data[from, to)} ends, or -1 (also when {@code from} is). */
    private static int after(byte[] data, int from, int to, BytePattern marker) {
        int at = from < 0 ? -1 : marker.indexIn(data, from, to);
        return at < 0 ? -1 : at + marker.length();
    }

    /** The whole number at {@code data[at]}, or -1 when there is none. */
    private static long number(byte[] data, int at, int to) {
        long value = 0;
        int i = at;
        while (i < to && data[i] >= '0' && data[i] <= '9') {
            value = value * 10 + (data[i++] - '0');
        }
        return i == at ? -1 : value;
    }

    @Override
    public void close() {
        sockets.close();
    }

    /** One client: reads one message at a time, as a browser does, and keeps the newest state of each edge. */
    private final class Listener implements LeanWebSockets.Handler {

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

        /** One message, or a batch of them ({@code updates=batched}): each edge message in it counts as received now. */
        @Override
        public void text(byte[] data, int from, int to) {
            long now = System.nanoTime();
            int at = EDGE.indexIn(data, from, to);
            if (at < 0) {
                other.incrementAndGet();
                return;
            }
            while (at >= 0) {
                at = edge(data, at + EDGE.length(), to, now);
            }
        }

        /**
         * The edge message whose fields start at {@code from}, read in one pass: its source's and destination's
         * numbers (the first two names after its start), then its record's flows; returns where the next edge
         * message of the frame starts, or -1. Every edge message on the benchmark's feed names all three.
         */
        private int edge(byte[] data, int from, int to, long now) {
            int clientAt = after(data, from, to, CLIENT);
            int serverAt = after(data, clientAt, to, SERVER);
            int flowsAt = after(data, serverAt, to, FLOWS);
            long client = clientAt < 0 ? -1 : number(data, clientAt, to);
            long server = serverAt < 0 ? -1 : number(data, serverAt, to);
            long flows = flowsAt < 0 ? -1 : number(data, flowsAt, to);
            int next = EDGE.indexIn(data, Math.max(from, flowsAt), to);
            int edge = (int) (server * 20 + client);
            if (client < 0 || server < 0 || flows < 0 || edge >= held.length) {
                other.incrementAndGet();
                return next;
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
            return next;
        }

        @Override
        public void closed(int code) {
            closes.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        }
    }
}
