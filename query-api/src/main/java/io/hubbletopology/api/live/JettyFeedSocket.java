package io.hubbletopology.api.live;

import java.nio.ByteBuffer;
import java.util.List;

import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A live client's Jetty WebSocket. Each message goes out as the UTF-8 bytes its {@link FeedUpdate} made once for
 * every client ({@code Session.sendText} would encode the text again per client), and a message with more behind it
 * is sent in batch mode: Jetty gathers it with the next ones into one socket write instead of a write (and a
 * wake-up of the client) per message.
 */
final class JettyFeedSocket implements FeedSocket {

    private final Session session;
    private final CoreSession core;

    JettyFeedSocket(Session session) {
        this.session = session;
        // Jetty hands every endpoint its WebSocketSession; anything else is a programming error, found at the first client.
        this.core = ((WebSocketSession) session).getCoreSession();
    }

    @Override
    public void send(FeedUpdate message, boolean more, Callback done) {
        core.sendFrame(new Frame(OpCode.TEXT, message.bytes()), org.eclipse.jetty.util.Callback.from(done::succeed, done::fail), more);
    }

    /**
     * The batch is written into a buffer of Jetty's pool (direct memory, reused): 2,000 clients taking a batch of
     * some 30 KB every few milliseconds would otherwise make a hundred MB of garbage a second, and each heap buffer
     * would be copied again into a direct one by the socket write. A client has one batch in flight at most.
     */
    @Override
    public void sendChanges(List<FeedUpdate> changes, Callback done) {
        RetainableByteBuffer buffer = core.getByteBufferPool().acquire(FeedMessages.changesSize(changes), true);
        ByteBuffer bytes = buffer.getByteBuffer();
        BufferUtil.clearToFill(bytes);
        FeedMessages.writeChanges(changes, bytes);
        BufferUtil.flipToFlush(bytes, 0);
        core.sendFrame(new Frame(OpCode.TEXT, bytes), org.eclipse.jetty.util.Callback.from(() -> {
            buffer.release();
            done.succeed();
        }, error -> {
            buffer.release();
            done.fail(error);
        }), false);
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }
}
