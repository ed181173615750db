package io.hubbletopology.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The OpenAPI description the API serves ({@code /api/v1/openapi.json}), read once, as the one statement of
 * which query parameters each route takes: the check that refuses unknown parameters asks it, so the description
 * and the check cannot drift. Query parameters of {@code apiKey} security schemes ({@code token}) are taken
 * by every route.
 *
 * <pre>{@code
 * ApiDescription spec = ApiDescription.load();
 * Optional<Set<String>> accepted = spec.queryParameters("GET", "/api/v1/flows");
 * }</pre>
 */
public final class ApiDescription {

    /** Where the description lives on the class path. */
    public static final String RESOURCE = "/openapi.json";

    private final Map<String, Set<String>> parametersByRoute;
    private final Set<String> everywhere;

    private ApiDescription(Map<String, Set<String>> parametersByRoute, Set<String> everywhere) {
        this.parametersByRoute = parametersByRoute;
        this.everywhere = everywhere;
    }

    public static ApiDescription load() {
        try (InputStream in = ApiDescription.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return of(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static ApiDescription of(JsonNode doc) {
        Set<String> everywhere = new TreeSet<>();
        doc.path("components").path("securitySchemes").forEach(scheme -> {
            if ("apiKey".equals(scheme.path("type").asText()) && "query".equals(scheme.path("in").asText())) {
                everywhere.add(scheme.path("name").asText());
            }
        });
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            JsonNode shared = path.getValue().path("parameters");
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) {
                    continue;
                }
                Set<String> names = new TreeSet<>(everywhere);
                addQueryParameters(doc, shared, names);
                addQueryParameters(doc, op.getValue().path("parameters"), names);
                routes.put(key(op.getKey(), path.getKey()), Set.copyOf(names));
            }
        }
        return new ApiDescription(routes, Set.copyOf(everywhere));
    }

    private static void addQueryParameters(JsonNode doc, JsonNode parameters, Set<String> names) {
        for (JsonNode p : parameters) {
            JsonNode parameter = p.has("$ref") ? doc.at(p.path("$ref").asText().substring(1)) : p;
            if ("query".equals(parameter.path("in").asText())) {
                names.add(parameter.path("name").asText());
            }
        }
    }

    /**
     * The query parameters a route takes, by its path template as routed; empty when the description does not
     * know the route (then nothing is checked: the route keeps whatever parameters it reads).
     */
    public Optional<Set<String>> queryParameters(String method, String pathTemplate) {
        return Optional.ofNullable(parametersByRoute.get(key(method.toLowerCase(java.util.Locale.ROOT), pathTemplate)));
    }

    /** Parameters every route takes (the query-string token). */
    public Set<String> everywhere() {
        return everywhere;
    }

    private static String key(String method, String path) {
        return method.toLowerCase(java.util.Locale.ROOT) + " " + path;
    }
}
