package io.hubbletopology.api.live;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.websocket.api.Callback;

/**
 * A client's socket for unit tests: it records what is sent and completes each send at once (a client that
 * keeps up) or only when the test says so ({@link #holding()}: a client that reads slowly, or not at all).
 */
final class FakeSocket implements FeedSocket {

    private final List<String> sent = new ArrayList<>();
    private final ArrayDeque<Callback> waiting = new ArrayDeque<>();
    private boolean hold;
    private Integer closeCode;
    private String closeReason;

    static FakeSocket holding() {
        FakeSocket socket = new FakeSocket();
        socket.hold = true;
        return socket;
    }

    @Override
    public void send(FeedUpdate message, boolean more, Callback done) {
        synchronized (this) {
            sent.add(message.payload());
            if (hold) {
                waiting.add(done);
                notifyAll();
                return;
            }
        }
        done.succeed();
    }

    /** Completes the oldest waiting send, if any; returns whether there was one. */
    boolean completeOne() {
        Callback next;
        synchronized (this) {
            next = waiting.poll();
        }
        if (next != null) {
            next.succeed();
        }
        return next != null;
    }

    /** Completes the waiting send once there is one (a sender thread makes it); false if none came in time. */
    boolean awaitAndCompleteOne(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (waiting.isEmpty() && System.nanoTime() < deadline) {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        return completeOne();
    }

    synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    synchronized Integer closeCode() {
        return closeCode;
    }

    synchronized String closeReason() {
        return closeReason;
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }
}
