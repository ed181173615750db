package io.hubbletopology.ingest.hubble;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.hubbletopology.hubble.observer.GetFlowsRequest;

/**
 * Reads one {@code GetFlows} stream on the caller's thread with a window of responses fetched ahead. The
 * blocking stub asks the transport for one message at a time and wakes the reader for each, which caps a
 * stream at about 20,000 flows/s on two cores whatever the sink can take; here gRPC delivers up to
 * {@value #WINDOW} responses into a queue while the caller handles earlier ones, and more are asked for in
 * batches. When the caller blocks (Kafka is slow) no more are asked for, so flow control still stops the
 * server and memory stays bounded by the window.
 */
final class FlowStreamReader implements ClientResponseObserver<GetFlowsRequest, ArrivedResponse> {

    static final int WINDOW = 1_024;
    private static final int ASK_EVERY = WINDOW / 4;
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new ArrayBlockingQueue<>(WINDOW + 2);
    private volatile ClientCallStreamObserver<GetFlowsRequest> call;
    private volatile Throwable failure;

    @Override
    public void beforeStart(ClientCallStreamObserver<GetFlowsRequest> requestStream) {
        this.call = requestStream;
        requestStream.disableAutoRequestWithInitial(WINDOW);
    }

    @Override
    public void onNext(ArrivedResponse response) {
        // Never more in flight than asked for, so the queue always has room.
        arrived.add(response);
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        arrived.add(END);
    }

    @Override
    public void onCompleted() {
        arrived.add(END);
    }

    /** Interface of the caller's handling of one response. */
    interface Handler {
        void handle(ArrivedResponse response);
    }

    /**
     * Hands each response to the handler until the stream ends (returns) or fails (throws the gRPC status,
     * as the blocking stub would), or {@code running} turns false (returns).
     */
    void readAll(Handler handler, BooleanSupplier running) throws InterruptedException {
        int handledSinceAsk = 0;
        while (running.getAsBoolean()) {
            Object next = arrived.poll(100, TimeUnit.MILLISECONDS);
            if (next == null) {
                continue;
            }
            if (next == END) {
                if (failure != null) {
                    throw failure instanceof StatusRuntimeException s ? s : Status.fromThrowable(failure).asRuntimeException();
                }
                return;
            }
            handler.handle((ArrivedResponse) next);
            if (++handledSinceAsk == ASK_EVERY) {
                call.request(handledSinceAsk);
                handledSinceAsk = 0;
            }
        }
    }
}
