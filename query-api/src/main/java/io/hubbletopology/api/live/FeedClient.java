package io.hubbletopology.api.live;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One connected live client. Updates wait in a bounded queue that keeps only the latest update per key
 * (an edge, an interface), and go out one at a time: the next is sent when the previous send completed, so
 * Jetty's own outgoing queue never grows for a slow client. A client whose queue overflows, or whose send
 * does not complete in time, is evicted by {@link LiveFeed}.
 */
final class FeedClient {

    /** Close code for a client that cannot keep up (1008: policy violation). */
    static final int TOO_SLOW = 1008;

    private final Session session;
    private final FeedFilter filter;
    private final String address;
    private final int maxQueue;
    private final FeedMetrics metrics;
    private final Map<String, String> pending = new LinkedHashMap<>();
    private long sendStartedNanos;
    private boolean inFlight;
    private boolean draining;
    private boolean closed;

    FeedClient(Session session, FeedFilter filter, String address, int maxQueue, FeedMetrics metrics) {
        this.session = session;
        this.filter = filter;
        this.address = address;
        this.maxQueue = maxQueue;
        this.metrics = metrics;
    }

    FeedFilter filter() {
        return filter;
    }

    String address() {
        return address;
    }

    /** Queues an update (replacing an older one of the same key); false when the queue overflowed. */
    synchronized boolean offer(String key, String payload) {
        if (closed) {
            return true;
        }
        if (pending.remove(key) != null) {
            metrics.coalesced();
        }
        pending.put(key, payload);
        if (pending.size() > maxQueue) {
            return false;
        }
        sendNext();
        return true;
    }

    private void sendNext() {
        // Jetty may complete a send within sendText: loop here instead of recursing from the callback.
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!inFlight && !closed && !pending.isEmpty()) {
                Iterator<Map.Entry<String, String>> first = pending.entrySet().iterator();
                String payload = first.next().getValue();
                first.remove();
                inFlight = true;
                sendStartedNanos = System.nanoTime();
                session.sendText(payload, Callback.from(this::sent, this::failed));
            }
        } finally {
            draining = false;
        }
    }

    private synchronized void sent() {
        inFlight = false;
        metrics.sent();
        sendNext();
    }

    private synchronized void failed(Throwable error) {
        inFlight = false;
        closed = true;
        pending.clear();
    }

    /** How long the current send has been waiting for the client, 0 when none is in flight. */
    synchronized long stalledNanos(long now) {
        return inFlight ? now - sendStartedNanos : 0;
    }

    synchronized int queued() {
        return pending.size();
    }

    synchronized void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        pending.clear();
        session.close(code, reason, Callback.NOOP);
    }
}
