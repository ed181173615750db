package io.hubbletopology.api.live;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.eclipse.jetty.websocket.api.UpgradeResponse;
import org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException;

/**
 * A WebSocket session for unit tests: it records what is sent and completes each send at once (a client that
 * keeps up) or only when the test says so ({@link #holding()}: a client that reads slowly, or not at all).
 */
final class FakeSession implements Session {

    private final List<String> sent = new ArrayList<>();
    private final ArrayDeque<Callback> waiting = new ArrayDeque<>();
    private boolean hold;
    private Integer closeCode;
    private String closeReason;

    static FakeSession holding() {
        FakeSession session = new FakeSession();
        session.hold = true;
        return session;
    }

    @Override
    public void sendText(String text, Callback callback) {
        synchronized (this) {
            sent.add(text);
            if (hold) {
                waiting.add(callback);
                notifyAll();
                return;
            }
        }
        callback.succeed();
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
    public synchronized void close(int statusCode, String reason, Callback callback) {
        closeCode = statusCode;
        closeReason = reason;
        callback.succeed();
    }

    @Override
    public void demand() {
    }

    @Override
    public void sendBinary(ByteBuffer buffer, Callback callback) {
        throw new UnsupportedOperationException("the live feed sends text");
    }

    @Override
    public void sendPartialBinary(ByteBuffer buffer, boolean last, Callback callback) {
        throw new UnsupportedOperationException("the live feed sends text");
    }

    @Override
    public void sendPartialText(String text, boolean last, Callback callback) {
        throw new UnsupportedOperationException("the live feed sends whole messages");
    }

    @Override
    public void sendPing(ByteBuffer applicationData, Callback callback) {
        callback.succeed();
    }

    @Override
    public void sendPong(ByteBuffer applicationData, Callback callback) {
        callback.succeed();
    }

    @Override
    public void disconnect() {
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }

    @Override
    public String getProtocolVersion() {
        return "13";
    }

    @Override
    public UpgradeRequest getUpgradeRequest() {
        return null;
    }

    @Override
    public UpgradeResponse getUpgradeResponse() {
        return null;
    }

    @Override
    public synchronized boolean isOpen() {
        return closeCode == null;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public void addIdleTimeoutListener(Predicate<WebSocketTimeoutException> listener) {
    }

    @Override
    public Duration getIdleTimeout() {
        return Duration.ZERO;
    }

    @Override
    public void setIdleTimeout(Duration duration) {
    }

    @Override
    public int getInputBufferSize() {
        return 4096;
    }

    @Override
    public void setInputBufferSize(int size) {
    }

    @Override
    public int getOutputBufferSize() {
        return 4096;
    }

    @Override
    public void setOutputBufferSize(int size) {
    }

    @Override
    public long getMaxBinaryMessageSize() {
        return 4096;
    }

    @Override
    public void setMaxBinaryMessageSize(long size) {
    }

    @Override
    public long getMaxTextMessageSize() {
        return 4096;
    }

    @Override
    public void setMaxTextMessageSize(long size) {
    }

    @Override
    public long getMaxFrameSize() {
        return 65536;
    }

    @Override
    public void setMaxFrameSize(long maxFrameSize) {
    }

    @Override
    public boolean isAutoFragment() {
        return false;
    }

    @Override
    public void setAutoFragment(boolean autoFragment) {
    }

    @Override
    public int getMaxOutgoingFrames() {
        return -1;
    }

    @Override
    public void setMaxOutgoingFrames(int maxOutgoingFrames) {
    }
}
