package io.hubbletopology.api;

import io.hubbletopology.processor.errors.BadParameterException;

/**
 * Names the parameter of a query string that cannot be read as percent-encoded UTF-8 (a lone {@code %}, a
 * {@code %} without two hex digits, bytes that are not UTF-8), so that a 400 can say which one it was, as it does for
 * every other bad parameter. Jetty refuses such a query itself in some places (a WebSocket upgrade parses it again,
 * strictly); this is only for telling the client what it sent wrong.
 */
final class UnreadableQuery {

    /** What the body names when no single parameter can be blamed. */
    static final String WHOLE_QUERY = "query";

    private UnreadableQuery() {
    }

    /** The first parameter whose name or value cannot be read, by its name as far as it can be read. */
    static String parameter(String rawQuery) {
        if (rawQuery == null) {
            return WHOLE_QUERY;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!readable(pair)) {
                return readable(name) && !name.isEmpty() ? decode(name) : WHOLE_QUERY;
            }
        }
        return WHOLE_QUERY;
    }

    /** Refuses a query string that cannot be read, naming the parameter at fault. */
    static void check(String rawQuery) {
        if (rawQuery != null && !readable(rawQuery)) {
            String parameter = parameter(rawQuery);
            throw new BadParameterException(parameter, (parameter.equals(WHOLE_QUERY) ? "the query string" : "parameter " + parameter)
                    + " cannot be read as percent-encoded UTF-8");
        }
    }

    static boolean readable(String encoded) {
        try {
            decode(encoded);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String decode(String encoded) {
        return PercentEncoding.decode(encoded);
    }
}
