package io.hubbletopology.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.grpc.Status;

import io.hubbletopology.api.access.AccessRefused;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.errors.BusyException;
import io.hubbletopology.processor.errors.QueryException;


/**
 * The one place where a {@link QueryException} (or the access gate's {@link AccessRefused}) becomes what a client
 * reads: an HTTP status with the API's JSON error body ({@code error}, {@code message}, {@code parameter} when one
 * is to blame) and, for a busy answer, when to ask again; or a gRPC status with the same message.
 *
 * <pre>{@code
 * config.routes.exception(QueryException.class, (e, ctx) -> send(ctx, QueryStatus.http(e), QueryStatus.body(e)));
 * responseObserver.onError(QueryStatus.grpc(e).asRuntimeException());
 * }</pre>
 */
public final class QueryStatus {

    private QueryStatus() {
    }

    public static int http(QueryException e) {
        return switch (e.reason()) {
            case BAD_PARAMETER -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case GONE -> 410;
            case BUSY, UNAVAILABLE -> 503;
        };
    }

    /** The headers that go with the status: {@code Retry-After} for a busy answer. */
    public static Map<String, String> headers(QueryException e) {
        return e instanceof BusyException busy ? Map.of("Retry-After", String.valueOf(busy.retryAfterSeconds())) : Map.of();
    }

    /** The JSON error body. */
    public static Map<String, Object> body(QueryException e) {
        return body(e.code(), e.getMessage(), e instanceof BadParameterException bad ? bad.parameter() : null);
    }

    /** The access gate's refusals: 401 (with {@code WWW-Authenticate: Bearer}) or 403. */
    public static int http(AccessRefused e) {
        return switch (e.reason()) {
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
        };
    }

    public static Map<String, String> headers(AccessRefused e) {
        return e.reason() == AccessRefused.Reason.UNAUTHORIZED ? Map.of("WWW-Authenticate", "Bearer") : Map.of();
    }

    public static Map<String, Object> body(AccessRefused e) {
        return body(e.reason().code(), e.getMessage(), null);
    }

    /** A JSON error body for what is not a {@link QueryException} (an internal failure). */
    static Map<String, Object> body(String code, String message, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return body;
    }

    public static Status grpc(QueryException e) {
        Status status = switch (e.reason()) {
            case BAD_PARAMETER -> Status.INVALID_ARGUMENT;
            case FORBIDDEN -> Status.PERMISSION_DENIED;
            case NOT_FOUND -> Status.NOT_FOUND;
            case GONE -> Status.OUT_OF_RANGE;
            case BUSY -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
        };
        String message = e instanceof BadParameterException bad ? bad.parameter() + ": " + e.getMessage() : e.getMessage();
        return status.withDescription(message);
    }
}
