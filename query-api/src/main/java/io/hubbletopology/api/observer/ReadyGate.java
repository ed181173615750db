package io.hubbletopology.api.observer;

import java.time.Duration;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * Sends a call's responses only as fast as gRPC's flow control lets them go: {@link #send} waits while the
 * transport is not ready, so a slow client slows its own reading down instead of filling this JVM's memory, and
 * gives up after {@code stallTimeout} without progress (the call then ends {@link #stalled()}), so a client that
 * stopped reading does not hold a reader for ever. Must be made in the call's handler (before it returns), where
 * gRPC takes the ready and cancel handlers. Ends each call once and counts how.
 */
final class ReadyGate<T> {

    private final ServerCallStreamObserver<T> call;
    private final long stallNanos;
    private final ObserverMetrics metrics;
    private final Object lock = new Object();
    private volatile boolean cancelled;
    private boolean stalled;
    private boolean ended;

    ReadyGate(ServerCallStreamObserver<T> call, Duration stallTimeout, ObserverMetrics metrics) {
        this.call = call;
        this.stallNanos = stallTimeout.toNanos();
        this.metrics = metrics;
        call.setOnReadyHandler(this::wake);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            wake();
        });
    }

    /** False when the client went away or stalled: the caller stops reading. */
    boolean send(T value) {
        if (!call.isReady() && !cancelled && !awaitReady()) {
            return false;
        }
        if (cancelled) {
            return false;
        }
        call.onNext(value);
        metrics.sent();
        return true;
    }

    private boolean awaitReady() {
        metrics.waiting(1);
        try {
            long deadline = System.nanoTime() + stallNanos;
            synchronized (lock) {
                while (!cancelled && !call.isReady()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        stalled = true;
                        return false;
                    }
                    lock.wait(Math.max(1, Math.min(1_000, left / 1_000_000)));
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            metrics.waiting(-1);
        }
    }

    /** Ends the call after its last response, unless the client went away first. */
    void complete() {
        if (end(cancelled ? ObserverMetrics.Outcome.CLIENT_GONE : ObserverMetrics.Outcome.COMPLETED) && !cancelled) {
            call.onCompleted();
        }
    }

    /** Ends the call with {@code status}, counted as {@code outcome}, unless the client went away or the call already ended. */
    void fail(Status status, ObserverMetrics.Outcome outcome) {
        if (!end(call.isCancelled() ? ObserverMetrics.Outcome.CLIENT_GONE : outcome) || call.isCancelled()) {
            return;
        }
        try {
            call.onError(status.asRuntimeException());
        } catch (IllegalStateException alreadyClosed) {
            // the call ended meanwhile
        }
    }

    private boolean end(ObserverMetrics.Outcome outcome) {
        synchronized (lock) {
            if (ended) {
                return false;
            }
            ended = true;
        }
        metrics.ended(outcome);
        return true;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** True once a send gave up because the client took nothing for the stall timeout. */
    boolean stalled() {
        synchronized (lock) {
            return stalled;
        }
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
