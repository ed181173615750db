package io.hubbletopology.api.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.eclipse.jetty.websocket.api.Callback;

/**
 * One connected live client: its snapshot first, then what its {@link FeedLog.Reader} gives, on the feed's sender
 * threads, a batch of up to {@value #BATCH} messages at a time sent back to back (Jetty gathers them into few socket
 * writes), or as one message of changes to a client that asked for its updates batched ({@link UpdateShape}: one
 * frame, one write and one completion per batch instead of per message). The next batch is taken when the previous one is written, so Jetty's own outgoing queue never holds more
 * than one batch for a slow client, and each message is the newest state of its key at that moment (the log
 * coalesces): a slow client skips intermediate states instead of falling behind. A client with nothing to send
 * waits among the feed's {@code parked} clients, the only ones a publish looks at: whoever publishes only wakes it
 * ({@link #wake()}: no lock, no socket), and a busy client costs a publish nothing. A batch the client does not
 * take within the stall timeout gets it evicted by {@link LiveFeed}.
 */
final class FeedClient {

    /** Close code for a client that cannot keep up (1008: policy violation). */
    static final int TOO_SLOW = 1008;
    /**
     * Messages taken from the log per write, at most: enough that a busy client costs a write per batch rather than
     * per message, few enough that what it gets is still the newest (~1 KB each, a few tens of KB in flight).
     */
    static final int BATCH = 32;
    /** Snapshot bytes per write, at most (or one message): 32 single messages of ~1 KB fit, a batched one goes alone. */
    static final int SNAPSHOT_BYTES = 64 * 1024;

    private final FeedSocket socket;
    private final Predicate<FeedUpdate> filter;
    private final String address;
    private final FeedMetrics metrics;
    private final Executor senders;
    private final FeedLog.Reader reader;
    private final Set<FeedClient> parked;
    private final Callback done = Callback.from(this::sent, this::failed);
    /** True while a drain is scheduled or running or a batch is in flight: whoever holds it looks at the log again. */
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final ArrayDeque<FeedUpdate> snapshot = new ArrayDeque<>();
    private final List<FeedUpdate> batch = new ArrayList<>(BATCH);
    private UpdateShape updates = UpdateShape.MESSAGES;
    private EdgeDetail detail = EdgeDetail.FULL;
    private boolean started;
    /** Frames handed to the socket and not yet written, and the messages they carry (counted as sent once written). */
    private int inFlight;
    private int messagesInFlight;
    private boolean draining;
    private boolean closed;
    private long sendStartedNanos;

    /** A client that sends nothing until {@link #start(List)}: its snapshot goes before every change. */
    FeedClient(FeedSocket socket, Predicate<FeedUpdate> filter, String address, FeedLog.Reader reader, FeedMetrics metrics,
               Executor senders, Set<FeedClient> parked) {
        this.parked = parked;
        this.socket = socket;
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

    /** Queues what the client sees first (filtered, then shaped as it asked), then lets the log's changes follow one by one. */
    void start(List<FeedUpdate> first, SnapshotShape shape) {
        start(first, shape, UpdateShape.MESSAGES);
    }

    /** Queues what the client sees first (filtered, then shaped as it asked), then lets the log's changes follow as it asked. */
    void start(List<FeedUpdate> first, SnapshotShape shape, UpdateShape updates) {
        start(first, shape, updates, EdgeDetail.FULL);
    }

    /**
     * Queues what the client sees first (filtered, in the detail and then the shape it asked for), then lets the
     * log's changes follow as it asked.
     */
    synchronized void start(List<FeedUpdate> first, SnapshotShape shape, UpdateShape updates, EdgeDetail detail) {
        this.updates = updates;
        this.detail = detail;
        List<FeedUpdate> wanted = new ArrayList<>();
        for (FeedUpdate update : first) {
            if (filter.test(update)) {
                wanted.add(update.in(detail));
            }
        }
        snapshot.addAll(shape.arrange(wanted));
        started = true;
        active.set(false);
        wake();
    }

    /** Something was published: has a sender thread send it, unless one already will. Never blocks. */
    void wake() {
        if (!active.get() && active.compareAndSet(false, true)) {
            parked.remove(this);
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
        // Jetty may complete a send within send(): loop here instead of recursing from the callback.
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (inFlight == 0 && !closed) {
                boolean batchedChanges = started && take() && updates == UpdateShape.BATCHED;
                if (batch.isEmpty()) {
                    active.set(false);
                    parked.add(this);
                    // A publish between take() and here did not see the client parked and did not wake it: look once more.
                    if (started && reader.hasNext() && active.compareAndSet(false, true)) {
                        parked.remove(this);
                        continue;
                    }
                    return;
                }
                if (detail != EdgeDetail.FULL) {
                    batch.replaceAll(update -> update.in(detail));
                }
                messagesInFlight = batch.size();
                sendStartedNanos = System.nanoTime();
                if (batchedChanges && batch.size() > 1) {
                    inFlight = 1;
                    socket.sendChanges(batch, done);
                } else {
                    int count = batch.size();
                    inFlight = count;
                    for (int i = 0; i < count && !closed; i++) {
                        socket.send(batch.get(i), i < count - 1, done);
                    }
                }
                batch.clear();
            }
        } finally {
            draining = false;
        }
    }

    /**
     * The next batch: the snapshot's rest first, then the log's changes; whether it holds changes only (which a
     * client that asked for batched updates gets as one message). At most {@value #SNAPSHOT_BYTES} bytes of the
     * snapshot per write (at least one message): a batched snapshot's messages are some hundred KB each, and a
     * write must stay well within the stall timeout on a slow link.
     */
    private boolean take() {
        long bytes = 0;
        while (batch.size() < BATCH && !snapshot.isEmpty() && bytes < SNAPSHOT_BYTES) {
            FeedUpdate next = snapshot.poll();
            bytes += next.bytes().remaining();
            batch.add(next);
        }
        // Changes only once the whole snapshot is out: none goes before its end.
        if (batch.size() < BATCH && snapshot.isEmpty()) {
            boolean changesOnly = batch.isEmpty();
            reader.take(BATCH - batch.size(), batch);
            return changesOnly;
        }
        return false;
    }

    private synchronized void sent() {
        if (inFlight > 0 && --inFlight == 0) {
            metrics.sent(messagesInFlight);
            sendNext();
        }
    }

    private synchronized void failed(Throwable error) {
        // The rest of the batch fails too, or was never handed over: nothing is in flight any more.
        inFlight = 0;
        closed = true;
        snapshot.clear();
        reader.close();
    }

    /** How long the current batch has been waiting for the client, 0 when none is in flight. */
    synchronized long stalledNanos(long now) {
        return inFlight > 0 ? now - sendStartedNanos : 0;
    }

    synchronized void close(int code, String reason) {
        reader.close();
        if (closed) {
            return;
        }
        closed = true;
        snapshot.clear();
        socket.close(code, reason);
    }
}
