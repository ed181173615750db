package io.hubbletopology.simulator;

import java.util.function.BooleanSupplier;

import com.google.protobuf.Timestamp;

import io.grpc.stub.ServerCallStreamObserver;
import io.hubbletopology.flowfilter.FlowFilterMatcher;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;

/** One GetFlows call of the simulated server: replays from the ring, then follows, honouring flow control. */
final class FlowStream {

    private final FlowRing ring;
    private final GetFlowsRequest request;
    private final ServerCallStreamObserver<GetFlowsResponse> call;
    private volatile boolean cancelled;

    FlowStream(FlowRing ring, GetFlowsRequest request, ServerCallStreamObserver<GetFlowsResponse> call) {
        this.ring = ring;
        this.request = request;
        this.call = call;
    }

    void run(BooleanSupplier serverRunning) {
        // Where the call starts is decided first, as the call is counted among the followers: a client that waits
        // for that count and then sees flows emitted must get them, however long compiling its filters takes.
        long cursor = start();
        FlowFilterMatcher matcher;
        try {
            matcher = FlowFilterMatcher.of(request.getWhitelistList(), request.getBlacklistList());
        } catch (io.hubbletopology.flowfilter.InvalidFilterException e) {
            // As a real Hubble answers a filter it cannot use.
            call.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        try {
            while (!cancelled && serverRunning.getAsBoolean()) {
                long end = ring.next();
                for (; cursor < end && !cancelled; cursor++) {
                    long oldest = ring.oldest();
                    if (cursor < oldest) {
                        // This reader fell further behind than the ring holds: say how much it lost.
                        send(SimulatedHubbleServer.lost(oldest - cursor));
                        cursor = oldest;
                    }
                    Flow flow = ring.get(cursor);
                    if (flow == null) {
                        // Overwritten while we were sending the previous one: that is a loss too.
                        long now = ring.oldest();
                        if (cursor < now) {
                            send(SimulatedHubbleServer.lost(now - cursor));
                            cursor = now - 1;
                        }
                        continue;
                    }
                    if (request.hasUntil() && nanos(flow.getTime()) > nanos(request.getUntil())) {
                        call.onCompleted();
                        return;
                    }
                    if (matcher.test(flow)) {
                        send(GetFlowsResponse.newBuilder().setFlow(flow).setNodeName(flow.getNodeName()).setTime(flow.getTime()).build());
                    }
                }
                if (!request.getFollow()) {
                    call.onCompleted();
                    return;
                }
                ring.awaitBeyond(cursor, 100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The client went away while we were sending: nothing more to do for this call.
        }
    }

    private long start() {
        if (request.hasSince()) {
            return ring.firstAtOrAfter(nanos(request.getSince()));
        }
        long next = ring.next();
        return Math.max(ring.oldest(), next - request.getNumber());
    }

    private void send(GetFlowsResponse response) throws InterruptedException {
        synchronized (this) {
            while (!call.isReady() && !cancelled) {
                wait(100);
            }
        }
        if (!cancelled) {
            call.onNext(response);
        }
    }

    synchronized void wakeUp() {
        notifyAll();
    }

    synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    private static long nanos(Timestamp t) {
        return t.getSeconds() * 1_000_000_000L + t.getNanos();
    }
}
