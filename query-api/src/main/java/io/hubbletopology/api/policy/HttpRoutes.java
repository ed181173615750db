package io.hubbletopology.api.policy;

import io.hubbletopology.api.policy.CiliumNetworkPolicy.HttpRule;
import io.hubbletopology.processor.output.EdgeStats;

/**
 * How an observed HTTP route becomes a Cilium HTTP rule. Cilium reads {@code method} and {@code path} as extended
 * POSIX regexes, so the observed text is escaped (every ERE metacharacter gets a backslash) and the path anchored at
 * both ends: {@code /api/cart} allows {@code /api/cart} and nothing under or beside it. The edge figures keep the
 * path without its query string, so any query is allowed after it ({@code (\?.*)?}), whether or not Cilium's proxy
 * matches the query as part of the path.
 *
 * <pre>{@code
 * HttpRoutes.rule(new EdgeStats.Route("GET", "/api/v1.2/items", 3))  // method: GET, path: ^/api/v1\.2/items(\?.*)?$
 * }</pre>
 */
final class HttpRoutes {

    private static final String METACHARACTERS = ".[]()*+?{}|^$\\";
    private static final String ANY_QUERY = "(\\?.*)?";

    private HttpRoutes() {
    }

    static HttpRule rule(EdgeStats.Route route) {
        return new HttpRule(method(route.method()), path(route.path()));
    }

    /** An HTTP method is a token; the usual ones (letters only) are written as they are, any other escaped and anchored. */
    static String method(String method) {
        return method.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') ? method : "^" + escape(method) + "$";
    }

    static String path(String path) {
        return "^" + escape(path) + ANY_QUERY + "$";
    }

    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (METACHARACTERS.indexOf(c) >= 0) {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }
}
