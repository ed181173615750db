package io.hubbletopology.api;

import java.util.Set;
import java.util.TreeSet;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;

import io.hubbletopology.processor.errors.BadParameterException;

/**
 * Refuses a request that carries a query parameter its route does not take, naming it: a misspelt
 * {@code verdcit=dropped} would otherwise be silently ignored and answer more than was asked. Which parameters a
 * route takes is read from the {@link ApiDescription}, by the path template Javalin matched (not
 * {@code ctx.path()}: Javalin routes {@code /topology/} to {@code /topology}). Registered as a
 * {@code beforeMatched} handler, so unrouted paths still answer 404.
 */
final class UnknownParameterCheck implements Handler {

    // A client's junk is named, not echoed whole: the answer stays small whatever was sent.
    private static final int MAX_NAMED = 5;
    private static final int MAX_NAME_LENGTH = 64;

    private final ApiDescription description;

    UnknownParameterCheck(ApiDescription description) {
        this.description = description;
    }

    @Override
    public void handle(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint != null) {
            check(ctx, endpoint.method.name(), endpoint.path);
        }
    }

    /** Refuses the request if it carries a parameter {@code method pathTemplate} does not take (a WebSocket handshake too). */
    void check(Context ctx, String method, String pathTemplate) {
        description.queryParameters(method, pathTemplate).ifPresent(accepted -> {
            Set<String> unknown = new TreeSet<>(ctx.queryParamMap().keySet());
            unknown.removeAll(accepted);
            // An empty name is what a stray '&' gives ("?a=1&", "?&a=1"): no parameter at all, not an unknown one.
            unknown.remove("");
            if (!unknown.isEmpty()) {
                String first = shortened(unknown.iterator().next());
                String names = String.join(", ", unknown.stream().limit(MAX_NAMED).map(UnknownParameterCheck::shortened).toList())
                        + (unknown.size() > MAX_NAMED ? " and " + (unknown.size() - MAX_NAMED) + " more" : "");
                throw new BadParameterException(first, (unknown.size() == 1 ? "unknown parameter " : "unknown parameters ") + names
                        + "; " + pathTemplate + " takes " + (accepted.isEmpty() ? "none" : String.join(", ", new TreeSet<>(accepted))));
            }
        });
    }

    private static String shortened(String name) {
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH) + "...";
    }
}
