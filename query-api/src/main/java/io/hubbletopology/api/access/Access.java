package io.hubbletopology.api.access;

import io.javalin.security.RouteRole;

/**
 * What a route declares about who may call it, as a Javalin route role. Deny by default: a route declared
 * without {@link #OPEN} needs a token whenever tokens are configured, so a route added tomorrow is guarded
 * unless its author says otherwise.
 *
 * <pre>{@code
 * config.routes.get("/health", this::health, Access.OPEN);   // probes answer without a token
 * config.routes.get("/topology", this::topology);            // needs a token when tokens are set
 * }</pre>
 */
public enum Access implements RouteRole {
    /** Carries no data a token guards: the probes, the API description, the page's static assets. */
    OPEN;

    /** The roles of a route that is open unless the operator chose to guard it (e.g. {@code /metrics}). */
    public static RouteRole[] openUnless(boolean guarded) {
        return guarded ? new RouteRole[0] : new RouteRole[] {OPEN};
    }
}
