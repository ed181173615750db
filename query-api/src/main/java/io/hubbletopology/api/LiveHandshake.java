package io.hubbletopology.api;

import java.util.function.Function;

import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;

import io.hubbletopology.api.flows.HubbleFlags;
import io.hubbletopology.processor.output.OutputJson;

/**
 * The HTTP side of a live route ({@code /ws/topology}, {@code /ws/flows}). Its query parameters are checked before
 * the upgrade, as a REST route's are, so a bad or unknown one is refused with 400 naming it instead of a socket
 * opened and closed at once; and a plain GET, without the upgrade, is told 426 and what it lacks rather than a 404
 * saying the path does not exist. The token and origin are checked first (the access gate), so a client without a
 * token learns nothing about parameters.
 *
 * <pre>{@code
 * LiveHandshake.register(config.routes, "/ws/topology", params -> FeedFilter.parse(...), unknownParameters);
 * config.routes.ws("/ws/topology", live::configure);
 * }</pre>
 */
final class LiveHandshake {

    static final String UPGRADE_REQUIRED = "upgrade_required";

    private LiveHandshake() {
    }

    /**
     * @param filter reads the route's filter from its parameters, throwing BadParameterException naming a bad one
     *               (the same function the live endpoint applies once the socket is open)
     */
    static void register(JavalinDefaultRoutingApi routes, String path, Function<Function<String, String>, ?> filter,
                         UnknownParameterCheck unknown) {
        routes.wsBeforeUpgrade(path, ctx -> {
            // Jetty parses the query again, strictly, while upgrading: what it cannot read is refused here, named.
            UnreadableQuery.check(ctx.queryString());
            unknown.check(ctx, "GET", path);
            filter.apply(HubbleFlags.parameters(ctx));
        });
        routes.get(path, ctx -> ctx.status(HttpStatus.UPGRADE_REQUIRED).header("Upgrade", "websocket").header("Connection", "Upgrade")
                .contentType("application/json").result(OutputJson.MAPPER.writeValueAsString(QueryStatus.body(UPGRADE_REQUIRED, path
                        + " serves only WebSocket handshakes: send GET with Connection: Upgrade, Upgrade: websocket, "
                        + "Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key", null))));
    }
}
