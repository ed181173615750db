package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

/**
 * Holds a real answer of the server to what openapi.json says that route answers with that status: an
 * undocumented route or status fails, and so does a body the documented schema refuses. Integration tests call
 * it on the answers they get, so the description cannot drift from the server.
 *
 * <pre>{@code
 * ResponseSchemas.assertDocumented("GET", "/health", 200, body);
 * }</pre>
 */
public final class ResponseSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DOC = load();
    // OpenAPI 3.0's own dialect of JSON Schema (draft 4 with nullable): the records write their unknown values as null.
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());

    private ResponseSchemas() {
    }

    /** Fails unless {@code body} is a documented JSON answer of {@code method pathTemplate} with {@code status}. */
    public static void assertDocumented(String method, String pathTemplate, int status, String body) {
        String response = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(java.util.Locale.ROOT)
                + "/responses/" + status;
        // A response shared by every route (one the HTTP server gives before routing) is a $ref to components.
        String shared = DOC.at(response).path("$ref").asText("");
        String pointer = (shared.startsWith("#/") ? shared.substring(1) : response) + "/content/application~1json/schema";
        assertThat(DOC.at(pointer).isMissingNode()).as("%s %s answered %d, which openapi.json does not describe",
                method, pathTemplate, status).isFalse();
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(method + " " + pathTemplate + " answered " + status + " with no JSON: " + body, e);
        }
        assertThat(errors(pointer, json)).as("%s %s %d: %s", method, pathTemplate, status, body).isEmpty();
    }

    /**
     * The same for an answer to a request as sent ({@code /api/v1/links/?node=n1}): its route is found in the
     * description by its path (a trailing slash routes like none). A JSON answer
     * is held to its schema; any other (YAML, Prometheus text) only to its status being described for the route.
     */
    public static void assertAnswer(String method, String target, int status, String contentType, String body) {
        String template = template(target);
        if (contentType != null && contentType.startsWith("application/json")) {
            assertDocumented(method, template, status, body);
            return;
        }
        String response = "/paths/" + escape(template) + "/" + method.toLowerCase(java.util.Locale.ROOT) + "/responses/" + status;
        assertThat(DOC.at(response).isMissingNode()).as("%s %s answered %d (%s), which openapi.json does not describe", method, target,
                status, contentType).isFalse();
    }

    /** The described path a request target routes to (query and a trailing slash left out); fails when none does. */
    static String template(String target) {
        String path = target.replaceFirst("[?#].*", "");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        assertThat(DOC.path("paths").has(path)).as("%s routes to no path of openapi.json", target).isTrue();
        return path;
    }

    /** Fails unless {@code body} is the API's JSON error shape (an answer for a path no route serves: 404). */
    public static void assertError(String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("an error answer with no JSON: " + body, e);
        }
        assertThat(errors("/components/schemas/Error", json)).as(body).isEmpty();
    }

    /** Fails unless {@code message} is one the live feed at {@code pathTemplate} documents (its {@code x-messages}). */
    public static void assertMessage(String pathTemplate, JsonNode message) {
        String pointer = "/paths/" + escape(pathTemplate) + "/get/x-messages";
        assertThat(DOC.at(pointer).isMissingNode()).as("%s has no x-messages in openapi.json", pathTemplate).isFalse();
        assertThat(errors(pointer, message)).as("%s sent %s", pathTemplate, message).isEmpty();
    }

    private static List<Error> errors(String pointer, JsonNode value) {
        // The whole description as the root, so the schema's $refs (#/components/...) resolve in it.
        ObjectNode root = DOC.deepCopy();
        root.put("$ref", "#" + pointer);
        return SCHEMAS.getSchema(root).validate(value);
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    private static JsonNode load() {
        try (InputStream in = ResponseSchemas.class.getResourceAsStream(ApiDescription.RESOURCE)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
