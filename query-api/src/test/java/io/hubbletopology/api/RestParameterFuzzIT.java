package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.access.RawRequest;
import io.hubbletopology.topics.TopicNames;

/**
 * Every route and parameter the served OpenAPI description names, over real HTTP, with values derived from
 * each parameter's schema: valid ones (enum values, examples, typical values of its type and format), boundaries,
 * duplicates ({@code a,a} and {@code p=a&p=a}), empty, huge (100 KB, {@code 999999999999d}), malformed, bytes that
 * are not UTF-8, then seeded random combinations of several parameters, and unknown parameters. The answer is
 * never a 5xx and always JSON, an unknown parameter is a 400 naming it, and nothing is logged at ERROR. The live
 * feeds' parameters go through a real WebSocket handshake: upgraded (101), or refused before the upgrade with a
 * documented answer (400 naming the parameter), never a 5xx.
 */
class RestParameterFuzzIT {

    private static final long SEED = 11_045;
    private static final int COMBINATIONS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Values no schema makes valid: what a careless or hostile client sends. Already percent-encoded where raw bytes matter. */
    private static final List<String> HOSTILE = List.of("", "%20", "-1", "0", "1e99", "99999999999999999999999", "NaN", "%25", "%",
            "%zz", "%00", "%ff%fe", "%C3%28", "%E2%80%AE", "..%2F..%2F", "null", "%5B%5D", "%26%3D", "999999999999d", "1000000000000d",
            "-5m", "P1D", "1h1h", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "%2B10000-01-01T00:00:00Z",
            "-999999999-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "-2147483649", "9223372036854775808", "a".repeat(3_000), ",", ",,,",
            "x".repeat(100_000));

    @TempDir
    Path stateDir;

    @Test
    @Timeout(120)
    void everyDescribedParameterWithValuesFromItsSchemaGetsNo5xxAlwaysJsonAndNoErrorLog() throws Exception {
        TopicNames topics = TopicNames.prefixed("rest-fuzz-it.");
        try (ErrorLogCapture log = new ErrorLogCapture();
             RunningApi run = RunningApi.start(FastCommits.onTwoPartitions("rest-fuzz-it", stateDir, topics), new ApiSettings("127.0.0.1", 0, "both"))
                     .awaitRunning()) {
            ApiServer api = run.api();
            JsonNode spec = JSON.readTree(get(api.port(), "/api/v1/openapi.json").body());
            List<Route> routes = routes(spec);
            assertThat(routes).extracting(Route::path).contains("/api/v1/topology", "/api/v1/flows", "/api/v1/edges", "/internal/v1/edges",
                    "/ws/topology", "/ws/flows");
            Random random = new Random(SEED);
            int requests = 0;
            for (Route route : routes) {
                for (Parameter p : route.parameters()) {
                    for (String value : values(p, random)) {
                        check(api.port(), route, route.withRequired(p.name(), value));
                        requests++;
                    }
                    String valid = p.valid().get(0);
                    // The same parameter twice.
                    check(api.port(), route, route.withRequired(p.name(), valid) + "&" + p.name() + "=" + valid);
                    requests++;
                }
                checkUnknown(api.port(), route);
                requests++;
            }
            for (int i = 0; i < COMBINATIONS; i++) {
                Route route = routes.get(random.nextInt(routes.size()));
                check(api.port(), route, combination(route, random));
                requests++;
            }
            assertThat(log.errors()).as("ERROR lines logged during " + requests + " requests (seed " + SEED + ")").isEmpty();
            assertThat(get(api.port(), "/health").status()).isEqualTo(200);
        }
    }

    // ---- what the description says

    record Parameter(String name, boolean required, JsonNode schema, List<String> valid) {
    }

    /** @param websocket a live feed: its parameters are checked at a real WebSocket handshake */
    record Route(String path, boolean json, boolean websocket, List<Parameter> parameters) {

        /** The query with this parameter's value and every other required parameter at a valid value. */
        String withRequired(String name, String value) {
            StringBuilder q = new StringBuilder(name + "=" + value);
            for (Parameter p : parameters) {
                if (p.required() && !p.name().equals(name)) {
                    q.append('&').append(p.name()).append('=').append(p.valid().get(0));
                }
            }
            return q.toString();
        }
    }

    private static List<Route> routes(JsonNode spec) {
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            JsonNode get = path.getValue().path("get");
            boolean websocket = get.path("responses").has("101");
            boolean json = get.path("responses").path("200").path("content").has("application/json");
            List<Parameter> parameters = new ArrayList<>();
            for (JsonNode p : get.path("parameters")) {
                if ("query".equals(p.path("in").asText())) {
                    parameters.add(new Parameter(p.path("name").asText(), p.path("required").asBoolean(), p.path("schema"),
                            validValues(p.path("schema"))));
                }
            }
            routes.add(new Route(path.getKey(), json, websocket, parameters));
        }
        return routes;
    }

    /** Values the schema allows: enum values, examples, defaults, else typical ones of the type and format. */
    static List<String> validValues(JsonNode schema) {
        Set<String> out = new LinkedHashSet<>();
        if (schema.path("type").asText().equals("array")) {
            List<String> items = validValues(schema.path("items"));
            schema.path("example").forEach(e -> out.add(enc(e.asText())));
            out.add(String.join(",", items));
            out.add(items.get(0) + "," + items.get(0));
            out.add(String.join(",", items) + "," + items.get(0));
            return List.copyOf(out);
        }
        schema.path("enum").forEach(e -> out.add(enc(e.asText())));
        if (schema.has("example")) {
            out.add(enc(schema.path("example").asText()));
        }
        if (schema.has("default")) {
            out.add(enc(schema.path("default").asText()));
        }
        switch (schema.path("type").asText()) {
            case "integer" -> {
                long min = schema.path("minimum").asLong(0);
                long max = schema.has("maximum") ? schema.path("maximum").asLong() : 1_000;
                out.add(String.valueOf(min));
                out.add(String.valueOf(max));
                out.add(String.valueOf((min + max) / 2));
            }
            case "boolean" -> {
                out.add("true");
                out.add("false");
            }
            default -> {
                if ("date-time".equals(schema.path("format").asText())) {
                    out.add(enc(Instant.now().minus(Duration.ofMinutes(30)).toString()));
                    out.add(enc(Instant.now().toString()));
                } else if (schema.has("pattern")) {
                    out.add("500ms");
                    out.add("5");
                    out.add("2h");
                } else if (out.isEmpty()) {
                    out.add("shop");
                }
            }
        }
        return List.copyOf(out);
    }

    /** Valid, boundary, case-changed, hostile values for one parameter. */
    private static List<String> values(Parameter p, Random random) {
        List<String> values = new ArrayList<>(p.valid());
        JsonNode schema = p.schema().path("type").asText().equals("array") ? p.schema().path("items") : p.schema();
        if (schema.has("minimum")) {
            values.add(String.valueOf(schema.path("minimum").asLong() - 1));
        }
        if (schema.has("maximum")) {
            values.add(String.valueOf(schema.path("maximum").asLong() + 1));
        }
        p.valid().forEach(v -> values.add(v.toUpperCase(java.util.Locale.ROOT)));
        values.add(p.valid().get(0) + "%2C%2C" + p.valid().get(0));
        values.addAll(HOSTILE);
        values.add(mangle(p.valid().get(random.nextInt(p.valid().size())), random));
        return values;
    }

    /** Several parameters of a route at once, valid or hostile, in random order. */
    private static String combination(Route route, Random random) {
        StringBuilder q = new StringBuilder();
        for (Parameter p : route.parameters()) {
            if (!p.required() && random.nextInt(3) != 0) {
                continue;
            }
            String value = random.nextInt(4) == 0 ? HOSTILE.get(random.nextInt(HOSTILE.size() - 1))
                    : p.valid().get(random.nextInt(p.valid().size()));
            q.append(q.isEmpty() ? "" : "&").append(p.name()).append('=').append(value);
        }
        return q.isEmpty() ? "token=" : q.toString();
    }

    private static String mangle(String value, Random random) {
        StringBuilder v = new StringBuilder(value);
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            int at = random.nextInt(v.length() + 1);
            v.insert(at, List.of("%", "&", "=", "%ff", "+", ";", "%2C", "9").get(random.nextInt(8)));
        }
        return v.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- what must hold

    private static void check(int port, Route route, String query) throws Exception {
        String target = route.path() + "?" + query;
        Answer answer = send(port, route, target);
        String shown = target.length() > 300 ? target.substring(0, 300) + "..." : target;
        assertThat(answer.status()).as("status of GET " + shown + " (seed " + SEED + "): " + answer.body())
                .isBetween(route.websocket() ? 101 : 200, 499);
        if (answer.status() == 101) {
            assertThat(route.websocket()).isTrue();
            return;
        }
        if (answer.status() != 200 || route.json()) {
            ResponseSchemas.assertDocumented("GET", route.path(), answer.status(), answer.body());
        }
        if (route.websocket() && answer.status() == 400 && JSON.readTree(answer.body()).path("error").asText().equals("bad_parameter")) {
            // A refused handshake names the parameter at fault, one of those sent (or the whole query when a
            // nameless part of it cannot be read).
            List<String> names = new java.util.ArrayList<>(sentNames(query));
            names.add(UnreadableQuery.WHOLE_QUERY);
            assertThat(JSON.readTree(answer.body()).path("parameter").asText()).as(shown).isNotEmpty().isIn(names);
        }
    }

    /** The names sent, as sent and as the server reads them (percent-decoded). */
    private static List<String> sentNames(String query) {
        List<String> names = new java.util.ArrayList<>();
        for (String pair : query.split("&")) {
            String name = pair.split("=", 2)[0];
            names.add(name);
            try {
                names.add(java.net.URLDecoder.decode(name, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // Not decodable: only the name as sent can be meant.
            }
        }
        return names;
    }

    /** A plain GET for a REST route; a real WebSocket handshake (Upgrade: websocket) for a live feed. */
    private static Answer send(int port, Route route, String target) throws Exception {
        if (!route.websocket()) {
            return get(port, target);
        }
        RawRequest.Answer answer = RawRequest.get(target).upgrade().send(port);
        return new Answer(answer.status(), answer.body());
    }

    private static void checkUnknown(int port, Route route) throws Exception {
        String query = route.parameters().stream().filter(Parameter::required).map(p -> p.name() + "=" + p.valid().get(0))
                .reduce("colour=blue", (a, b) -> a + "&" + b);
        Answer answer = send(port, route, route.path() + "?" + query);
        assertThat(answer.status()).as(route.path() + "?" + query + ": " + answer.body()).isEqualTo(400);
        ResponseSchemas.assertDocumented("GET", route.path(), 400, answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo("bad_parameter");
        assertThat(body.path("parameter").asText()).isEqualTo("colour");
        assertThat(body.path("message").asText()).contains("colour");
        // The browser's ?token= is taken by every route.
        Answer token = send(port, route, route.path() + "?" + query.replace("colour=blue", "token=t"));
        if (token.status() != 200 && token.status() != 101) {
            assertThat(JSON.readTree(token.body()).path("parameter").asText()).as(route.path() + " with token").isNotEqualTo("token");
        }
    }

    record Answer(int status, String body) {
    }

    /** A plain HTTP/1.1 GET on a socket, so the request line is sent exactly as built. */
    static Answer get(int port, String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyAt = response.indexOf("\r\n\r\n");
            String head = response.substring(0, bodyAt).toLowerCase();
            String body = response.substring(bodyAt + 4);
            if (head.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Answer(status, body);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
