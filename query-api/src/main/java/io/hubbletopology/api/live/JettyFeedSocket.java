package io.hubbletopology.api.live;

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

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }
}
