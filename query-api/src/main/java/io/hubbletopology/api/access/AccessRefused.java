package io.hubbletopology.api.access;

/**
 * Why the access gate turned a request or a WebSocket handshake away: no valid token (401) or a page of an origin
 * not allowed (403). Thrown by {@link AccessGate} and written, like every other error, by {@code api/QueryStatus}
 * in the API's one JSON error shape. Expected, so no stack trace is filled in.
 *
 * <pre>{@code
 * throw AccessRefused.unauthorized();   // {"error":"unauthorized","message":"a valid bearer token is required"}
 * }</pre>
 */
public final class AccessRefused extends RuntimeException {

    /** What is missing, with the code a client reads in the error body. */
    public enum Reason {
        /** No valid token: the client must authenticate (Authorization: Bearer ..., or ?token=). */
        UNAUTHORIZED("unauthorized"),
        /** Known or not, the client may not come from where it comes from (its Origin). */
        FORBIDDEN("forbidden");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    private AccessRefused(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public static AccessRefused unauthorized() {
        return new AccessRefused(Reason.UNAUTHORIZED, "a valid bearer token is required");
    }

    public static AccessRefused forbiddenOrigin(String origin) {
        return new AccessRefused(Reason.FORBIDDEN, origin == null ? "a WebSocket must be opened from an allowed origin; this handshake named none"
                : "origin not allowed: " + (origin.length() > 100 ? origin.substring(0, 100) + "..." : origin));
    }

    public Reason reason() {
        return reason;
    }
}
