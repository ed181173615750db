package io.hubbletopology.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Optional bearer-token authentication: the token comes in the {@code Authorization: Bearer} header, or as a
 * {@code token} query parameter for browsers, which cannot set headers on a WebSocket. Tokens are compared
 * in constant time.
 */
final class AccessControl {

    private final List<byte[]> tokens;

    AccessControl(List<String> tokens) {
        this.tokens = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    boolean enabled() {
        return !tokens.isEmpty();
    }

    boolean allows(String authorizationHeader, String tokenParameter) {
        if (!enabled()) {
            return true;
        }
        String presented = null;
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorizationHeader.substring(7).trim();
        } else if (tokenParameter != null) {
            presented = tokenParameter;
        }
        if (presented == null) {
            return false;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(token, bytes);
        }
        return match;
    }
}
