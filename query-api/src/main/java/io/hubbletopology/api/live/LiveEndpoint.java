package io.hubbletopology.api.live;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;

import io.hubbletopology.processor.errors.BadParameterException;

/**
 * A live WebSocket ({@code /ws/topology}, {@code /ws/flows}) once its handshake was allowed (token and origin
 * are checked before the upgrade, by the access gate): reads the filter from the query parameters, admits the client within the limit, sends it a snapshot
 * (shaped as its {@code snapshot} parameter asks: {@link SnapshotShape}), and from then on every
 * matching change through its {@link LiveFeed} (one by one, or batched as its {@code updates} parameter asks:
 * {@link UpdateShape}). Clients are not expected to talk: one that floods the server
 * with messages, or sends an oversized frame, is disconnected.
 */
public final class LiveEndpoint {

    private static final Logger log = LoggerFactory.getLogger(LiveEndpoint.class);
    /** Close codes: 1008 policy violation (bad parameter, flood), 1013 try again later (full). */
    static final int POLICY = 1008;
    static final int TRY_LATER = 1013;
    private static final int MAX_INBOUND_MESSAGE = 4 * 1024;
    private static final int MAX_INBOUND_PER_SECOND = 20;

    private final LiveFeed feed;
    private final Duration heartbeat;
    private final Function<Function<String, String>, Predicate<FeedUpdate>> filters;
    private final Supplier<List<FeedUpdate>> snapshot;
    private final Map<String, AtomicInteger> inboundThisSecond = new ConcurrentHashMap<>();

    /**
     * @param filters        the client's filter from its query parameters; throws BadParameterException naming a bad one
     * @param snapshot       what a new client gets first (it is filtered like every update)
     */
    public LiveEndpoint(LiveFeed feed, Duration heartbeat, Function<Function<String, String>, Predicate<FeedUpdate>> filters,
                        Supplier<List<FeedUpdate>> snapshot) {
        this.feed = feed;
        this.heartbeat = heartbeat;
        this.filters = filters;
        this.snapshot = snapshot;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(this::connect);
        ws.onMessage(ctx -> {
            AtomicInteger count = inboundThisSecond.computeIfAbsent(ctx.sessionId(), id -> new AtomicInteger());
            if (count.incrementAndGet() > MAX_INBOUND_PER_SECOND) {
                log.warn("Closing live client {}: it sends too many messages", ctx.session.getRemoteSocketAddress());
                ctx.closeSession(POLICY, "too many messages from the client");
            }
        });
        ws.onClose(ctx -> {
            feed.remove(ctx.sessionId());
            inboundThisSecond.remove(ctx.sessionId());
        });
        ws.onError(ctx -> feed.remove(ctx.sessionId()));
    }

    /** Forgets the message counts every second: the flood limit is per second. */
    public void resetInboundCounts() {
        inboundThisSecond.values().forEach(c -> c.set(0));
    }

    private void connect(WsConnectContext ctx) {
        String address = String.valueOf(ctx.session.getRemoteSocketAddress());
        ctx.session.setMaxTextMessageSize(MAX_INBOUND_MESSAGE);
        ctx.session.setMaxBinaryMessageSize(MAX_INBOUND_MESSAGE);
        Predicate<FeedUpdate> filter;
        SnapshotShape shape;
        UpdateShape updates;
        EdgeDetail detail;
        try {
            // The raw query too, under its reserved name: hubble's "not" applies to the parameter after it.
            filter = filters.apply(name -> io.hubbletopology.api.flows.HubbleFlags.QUERY_STRING.equals(name) ? ctx.queryString() : ctx.queryParam(name));
            shape = SnapshotShape.parse(ctx.queryParam("snapshot"));
            updates = UpdateShape.parse(ctx.queryParam("updates"));
            detail = EdgeDetail.parse(ctx.queryParam("detail"));
        } catch (BadParameterException e) {
            refuse(ctx, POLICY, "bad parameter " + e.parameter() + ": " + e.getMessage());
            return;
        }
        FeedClient client = feed.admit(ctx.sessionId(), new JettyFeedSocket(ctx.session), filter, address);
        if (client == null) {
            ctx.session.close(TRY_LATER, "too many clients", Callback.NOOP);
            return;
        }
        ctx.enableAutomaticPings(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        List<FeedUpdate> first = List.of();
        try {
            first = snapshot.get();
        } catch (RuntimeException e) {
            // Stores not ready yet (starting, rebalancing): the client still gets every change from now on.
            log.debug("No snapshot for live client {}: {}", address, e.getMessage());
        }
        // Admitted before the snapshot is read, started after: no change is lost, none goes before the snapshot.
        client.start(first, shape, updates, detail);
    }

    private void refuse(WsConnectContext ctx, int code, String reason) {
        feed.refused();
        ctx.session.close(code, reason, Callback.NOOP);
    }
}
