package io.hubbletopology.api.live;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One connected live client: its snapshot first, then what its {@link FeedLog.Reader} gives, one message at a
 * time on the feed's sender threads. The next message is taken when the previous send completed, so Jetty's own
 * outgoing queue never grows for a slow client, and it is the newest state of a key at that moment (the log
 * coalesces): a slow client skips intermediate states instead of falling behind. Whoever publishes only wakes
 * the client ({@link #wake()}: no lock, no socket); a send the client does not take within the stall timeout
 * gets it evicted by {@link LiveFeed}.
 */
final class FeedClient {

    /** Close code for a client that cannot keep up (1008: policy violation). */
    static final int TOO_SLOW = 1008;

    private final Session session;
    private final Predicate<FeedUpdate> filter;
    private final String address;
    private final FeedMetrics metrics;
    private final Executor senders;
    private final FeedLog.Reader reader;
    /** True while a drain is scheduled or running or a send is in flight: whoever holds it looks at the log again. */
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final ArrayDeque<FeedUpdate> snapshot = new ArrayDeque<>();
    private boolean started;
    private boolean inFlight;
    private boolean draining;
    private boolean closed;
    private long sendStartedNanos;

    /** A client that sends nothing until {@link #start(List)}: its snapshot goes before every change. */
    FeedClient(Session session, Predicate<FeedUpdate> filter, String address, FeedLog.Reader reader, FeedMetrics metrics,
               Executor senders) {
        this.session = session;
        this.filter = filter;
        this.address = address;
        this.reader = reader;
        this.metrics = metrics;
        this.senders = senders;
    }

    boolean wants(FeedUpdate update) {
        return filter.test(update);
    }

    String address() {
        return address;
    }

    FeedLog.Reader reader() {
        return reader;
    }

    /** Queues what the client sees first (filtered), then lets the log's changes follow. */
    synchronized void start(List<FeedUpdate> first) {
        for (FeedUpdate update : first) {
            if (filter.test(update)) {
                snapshot.add(update);
            }
        }
        started = true;
        active.set(false);
        wake();
    }

    /** Something was published: has a sender thread send it, unless one already will. Never blocks. */
    void wake() {
        if (!active.get() && active.compareAndSet(false, true)) {
            try {
                senders.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The feed is closing.
                active.set(false);
            }
        }
    }

    private synchronized void drain() {
        sendNext();
    }

    private void sendNext() {
        // Jetty may complete a send within sendText: loop here instead of recursing from the callback.
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!inFlight && !closed) {
                FeedUpdate next = started ? (snapshot.isEmpty() ? reader.next() : snapshot.poll()) : null;
                if (next == null) {
                    active.set(false);
                    // A publish between next() and here saw the client active and did not wake it: look once more.
                    if (started && reader.hasNext() && active.compareAndSet(false, true)) {
                        continue;
                    }
                    return;
                }
                inFlight = true;
                sendStartedNanos = System.nanoTime();
                session.sendText(next.payload(), Callback.from(this::sent, this::failed));
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
        snapshot.clear();
        reader.close();
    }

    /** How long the current send has been waiting for the client, 0 when none is in flight. */
    synchronized long stalledNanos(long now) {
        return inFlight ? now - sendStartedNanos : 0;
    }

    synchronized void close(int code, String reason) {
        reader.close();
        if (closed) {
            return;
        }
        closed = true;
        snapshot.clear();
        session.close(code, reason, Callback.NOOP);
    }
}
