package io.hubbletopology.api.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.RouteRole;
import io.javalin.security.Roles;
import io.javalin.websocket.WsHandlerEntry;
import io.javalin.websocket.WsHandlerType;

/**
 * A route as the server's router holds it, with whether it declared itself {@link Access#OPEN}. Read from
 * Javalin's router, not from a list of our own, so a test walking these covers every route anyone adds.
 *
 * @param method an HTTP method ({@code GET}, {@code HEAD}) or {@code WEBSOCKET}
 * @param path   the declared path, e.g. {@code /api/v1/topology}
 * @param open   declared open: answers without a token
 */
public record DeclaredRoute(String method, String path, boolean open) {

    public static final String WEBSOCKET = "WEBSOCKET";

    /** Every HTTP endpoint and WebSocket of a started server (before/after handlers left out). */
    public static List<DeclaredRoute> allOf(Javalin app) {
        List<DeclaredRoute> routes = new ArrayList<>();
        for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (endpoint.method.isHttpMethod()) {
                Roles roles = endpoint.metadata(Roles.class);
                routes.add(new DeclaredRoute(endpoint.method.name(), endpoint.path, open(roles == null ? Set.of() : roles.getRoles())));
            }
        }
        for (WsHandlerEntry ws : app.unsafe.internalRouter.allWsHandlers()) {
            if (ws.getType() == WsHandlerType.WEBSOCKET) {
                routes.add(new DeclaredRoute(WEBSOCKET, ws.getPath(), open(ws.getRoles())));
            }
        }
        return routes;
    }

    private static boolean open(Set<RouteRole> roles) {
        return roles.contains(Access.OPEN);
    }
}
