package io.hubbletopology.api.live;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One connected live client. Updates wait in a bounded queue that keeps only the latest update per key
 * (an edge, an interface), and go out one at a time on the feed's sender threads: the next is sent when the
 * previous send completed, so Jetty's own outgoing queue never grows for a slow client, and whoever offers an
 * update (the thread following the output topics) never writes to a socket itself. When the queue is full, a topology client is
 * evicted ({@link Overflow#EVICT}: it could no longer show the current state), while a flow-tail client skips
 * flows and is told how many ({@link Overflow#SKIP}). A send that does not complete in time gets the client
 * evicted by {@link LiveFeed} either way.
 */
final class FeedClient {

    /** What happens to an update that does not fit in a full queue. */
    enum Overflow { EVICT, SKIP }

    /** Close code for a client that cannot keep up (1008: policy violation). */
    static final int TOO_SLOW = 1008;

    private final Session session;
    private final Predicate<FeedUpdate> filter;
    private final Overflow overflow;
    private final String address;
    private final int maxQueue;
    private final FeedMetrics metrics;
    private final Map<String, String> pending = new LinkedHashMap<>();
    private long sendStartedNanos;
    private boolean inFlight;
    private boolean draining;
    private boolean closed;
    private long skipped;

    private final Executor senders;
    private boolean drainScheduled;

    FeedClient(Session session, Predicate<FeedUpdate> filter, Overflow overflow, String address, int maxQueue, FeedMetrics metrics,
               Executor senders) {
        this.senders = senders;
        this.session = session;
        this.filter = filter;
        this.overflow = overflow;
        this.address = address;
        this.maxQueue = maxQueue;
        this.metrics = metrics;
    }

    boolean wants(FeedUpdate update) {
        return filter.test(update);
    }

    String address() {
        return address;
    }

    /** Queues an update (replacing an older one of the same key); false when the client must be evicted. */
    synchronized boolean offer(String key, String payload) {
        if (closed) {
            return true;
        }
        if (pending.remove(key) != null) {
            metrics.coalesced();
        } else if (pending.size() >= maxQueue) {
            if (overflow == Overflow.EVICT) {
                return false;
            }
            skipped++;
            metrics.skipped();
            return true;
        }
        pending.put(key, payload);
        scheduleDrain();
        return true;
    }

    /** Has a sender thread send what is queued, unless one is about to or a send is in flight (its callback goes on). */
    private void scheduleDrain() {
        if (drainScheduled || inFlight || closed) {
            return;
        }
        drainScheduled = true;
        try {
            senders.execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The feed is closing.
            drainScheduled = false;
        }
    }

    private synchronized void drain() {
        drainScheduled = false;
        sendNext();
    }

    private void sendNext() {
        // Jetty may complete a send within sendText: loop here instead of recursing from the callback.
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!inFlight && !closed && !pending.isEmpty()) {
                String payload;
                if (skipped > 0 && pending.size() <= maxQueue / 2) {
                    // Caught up enough: say how many flows this client missed, before the next one.
                    payload = "{\"type\":\"skipped\",\"count\":" + skipped + "}";
                    skipped = 0;
                } else {
                    Iterator<Map.Entry<String, String>> first = pending.entrySet().iterator();
                    payload = first.next().getValue();
                    first.remove();
                }
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
