package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;

class FlowStreamReaderTest {

    /** The call's side as the reader sees it: what it asked gRPC for. */
    private static final class RecordingCall extends ClientCallStreamObserver<GetFlowsRequest> {
        final List<Integer> requests = new ArrayList<>();
        int initial = -1;

        @Override
        public void disableAutoRequestWithInitial(int request) {
            initial = request;
        }

        @Override
        public void request(int count) {
            requests.add(count);
        }

        @Override
        public void cancel(String message, Throwable cause) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        @Override
        public void onNext(GetFlowsRequest value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }

    private static ArrivedResponse response(int i) {
        return new ArrivedResponse(GetFlowsResponse.newBuilder().setNodeName("node-" + i).build(), com.google.protobuf.ByteString.EMPTY);
    }

    @Test
    void asksForAWindowAheadAndForMoreOnlyAsResponsesAreHandled() throws Exception {
        FlowStreamReader reader = new FlowStreamReader();
        RecordingCall call = new RecordingCall();
        reader.beforeStart(call);
        assertThat(call.initial).isEqualTo(FlowStreamReader.WINDOW);

        for (int i = 0; i < FlowStreamReader.WINDOW; i++) {
            reader.onNext(response(i));
        }
        reader.onCompleted();
        List<String> handled = new ArrayList<>();
        reader.readAll(r -> handled.add(r.response().getNodeName()), () -> true);

        assertThat(handled).hasSize(FlowStreamReader.WINDOW).startsWith("node-0", "node-1").endsWith("node-" + (FlowStreamReader.WINDOW - 1));
        // More is asked for in batches, never more than was handled: what is in flight stays within the window.
        assertThat(call.requests).containsOnly(FlowStreamReader.WINDOW / 4);
        assertThat(call.requests.stream().mapToInt(Integer::intValue).sum()).isEqualTo(FlowStreamReader.WINDOW);
    }

    @Test
    void aHandlerThatDoesNotReturnAsksForNothingMore() throws Exception {
        FlowStreamReader reader = new FlowStreamReader();
        RecordingCall call = new RecordingCall();
        reader.beforeStart(call);
        for (int i = 0; i < 10; i++) {
            reader.onNext(response(i));
        }
        Thread slowSink = new Thread(() -> {
            try {
                reader.readAll(r -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted");
                    }
                }, () -> true);
            } catch (Exception | Error e) {
                // Ends when interrupted.
            }
        });
        slowSink.start();
        Thread.sleep(300);
        assertThat(call.requests).isEmpty();
        slowSink.interrupt();
        slowSink.join(5_000);
    }

    @Test
    void aStreamErrorReachesTheReaderAsTheServersStatus() {
        FlowStreamReader reader = new FlowStreamReader();
        reader.beforeStart(new RecordingCall());
        reader.onNext(response(0));
        reader.onError(Status.INVALID_ARGUMENT.withDescription("since cannot be combined with follow").asRuntimeException());
        List<ArrivedResponse> handled = new ArrayList<>();

        assertThatThrownBy(() -> reader.readAll(handled::add, () -> true)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(handled).hasSize(1);
    }

    @Test
    void stopsWhenNoLongerRunning() throws Exception {
        FlowStreamReader reader = new FlowStreamReader();
        reader.beforeStart(new RecordingCall());
        long start = System.nanoTime();
        reader.readAll(r -> { }, () -> System.nanoTime() - start < 200_000_000L);
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
}
