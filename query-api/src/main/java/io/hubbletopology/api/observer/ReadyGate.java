package io.hubbletopology.api.observer;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * Sends a call's responses only as fast as gRPC's flow control lets them go: {@link #send} waits while the
 * transport is not ready, so a slow client slows its own reading down instead of filling this JVM's memory.
 * Must be made in the call's handler (before it returns), where gRPC takes the ready and cancel handlers.
 */
final class ReadyGate<T> {

    private final ServerCallStreamObserver<T> call;
    private final Object lock = new Object();
    private volatile boolean cancelled;

    ReadyGate(ServerCallStreamObserver<T> call) {
        this.call = call;
        call.setOnReadyHandler(this::wake);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            wake();
        });
    }

    /** False when the client went away: the caller stops reading. */
    boolean send(T value) {
        synchronized (lock) {
            while (!cancelled && !call.isReady()) {
                try {
                    lock.wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        if (cancelled) {
            return false;
        }
        call.onNext(value);
        return true;
    }

    /** Ends the call after its last response, unless the client went away first. */
    void complete() {
        if (!cancelled) {
            call.onCompleted();
        }
    }

    /** Ends the call with {@code status}, unless the client went away or the call already ended. */
    void fail(Status status) {
        if (!call.isCancelled()) {
            try {
                call.onError(status.asRuntimeException());
            } catch (IllegalStateException alreadyClosed) {
                // the call ended meanwhile
            }
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
