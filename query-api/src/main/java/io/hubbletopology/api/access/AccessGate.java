package io.hubbletopology.api.access;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.http.Context;

/**
 * Decides each request by the route it matched, never by its path text: Javalin routes {@code /topology/}
 * to {@code /topology}'s handler, so only the matched route's own declaration ({@link Access} roles) can
 * say whether it is open. A route without {@link Access#OPEN} needs a current token. WebSockets are decided
 * at the handshake: a refused client gets 401 or 403 and no upgrade. A refusal is thrown as {@link AccessRefused},
 * which {@code api/QueryStatus} writes in the same JSON error shape as every other error.
 *
 * <pre>{@code
 * AccessGate gate = new AccessGate(tokens, List.of("https://topology.example"));
 * config.routes.beforeMatched(gate::checkRequest);
 * config.routes.wsBeforeUpgrade(gate::checkUpgrade);
 * }</pre>
 */
public final class AccessGate {

    private static final Logger log = LoggerFactory.getLogger(AccessGate.class);

    private final AcceptedTokens tokens;
    private final List<String> allowedOrigins;

    /** @param allowedOrigins the origins a WebSocket may be opened from; empty: any */
    public AccessGate(AcceptedTokens tokens, List<String> allowedOrigins) {
        this.tokens = tokens;
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * A {@code beforeMatched} handler: runs for every request that reaches a route or a static file, whatever
     * its spelling; {@code ctx.routeRoles()} are those the matched route (or static file set) declared. A HEAD
     * answered from a GET route has no roles of its own, so it needs a token unless a HEAD route is declared open.
     */
    public void checkRequest(Context ctx) {
        if (open(ctx) || presentsToken(ctx)) {
            return;
        }
        log.debug("Refused {} {} from {}: no valid bearer token", ctx.method(), ctx.path(), ctx.ip());
        throw AccessRefused.unauthorized();
    }

    /** A {@code wsBeforeUpgrade} handler: without a token 401, from a page of another origin 403, else the upgrade. */
    public void checkUpgrade(Context ctx) {
        if (!open(ctx) && !presentsToken(ctx)) {
            throw refusedUpgrade(ctx, AccessRefused.unauthorized());
        }
        String origin = ctx.header("Origin");
        if (!allowedOrigins.isEmpty() && (origin == null || !allowedOrigins.contains(origin))) {
            throw refusedUpgrade(ctx, AccessRefused.forbiddenOrigin(origin));
        }
    }

    private boolean open(Context ctx) {
        return !tokens.enabled() || ctx.routeRoles().contains(Access.OPEN);
    }

    private boolean presentsToken(Context ctx) {
        return tokens.allows(ctx.header("Authorization"), ctx.queryParam("token"));
    }

    private static AccessRefused refusedUpgrade(Context ctx, AccessRefused refused) {
        log.info("Refused live client {} at the handshake of {}: {}", ctx.ip(), ctx.path(), refused.getMessage());
        return refused;
    }
}
