package io.hubbletopology.api.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.api.TimeRange;
import io.hubbletopology.processor.TopologyQueryService;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.errors.PeerUnavailableException;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.processor.query.Partitioned;
import io.hubbletopology.processor.query.PeerQuestion;
import io.hubbletopology.processor.query.Peers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * How instances ask each other for their part of an answer, both sides in one place: the paths under
 * {@value #PREFIX} and their parameters ({@link PeerQuestion}), the routes that answer them, and the body, which
 * holds the items of each partition the instance answered for and why the others failed:
 * <pre>{"partitions": {"0": [...], "2": [...]}, "failures": {"1": "REBALANCING: ..."}}</pre>
 * An answer in any other shape (an instance of another version, say) is a failure of that instance, so the
 * merged answer says it is partial instead of guessing.
 *
 * <pre>{@code
 * PeerProtocol peers = new PeerProtocol(HttpClient.newHttpClient(), Duration.ofSeconds(2), tokens::forPeers, "http");
 * ClusterAnswers cluster = service.acrossCluster(peers);      // asks the other instances with it
 * PeerProtocol.serve(config.routes, service, send);           // answers them
 * }</pre>
 */
public final class PeerProtocol implements Peers {

    /** The path prefix of the per-instance answers. */
    public static final String PREFIX = "/internal/v1/";
    static final String EDGES = PREFIX + "edges";
    static final String LINKS = PREFIX + "links";
    static final String WORKLOADS = PREFIX + "workloads";
    static final String SERIES = PREFIX + "series";
    /** Every path of the protocol. */
    public static final List<String> PATHS = List.of(EDGES, LINKS, WORKLOADS, SERIES);

    private static final ObjectMapper JSON = OutputJson.MAPPER;

    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<String> token;
    private final String scheme;

    /**
     * @param timeout how long another instance may take to answer
     * @param token   the bearer token to present to the other instances, asked per call (tokens files change),
     *                or giving null when the API is open
     * @param scheme  http or https, as the instances serve
     */
    public PeerProtocol(HttpClient http, Duration timeout, Supplier<String> token, String scheme) {
        this.http = http;
        this.timeout = timeout;
        this.token = token;
        this.scheme = scheme;
    }

    // ---- asking

    @Override
    public <T> CompletableFuture<Partitioned<T>> ask(String address, PeerQuestion<T> question) {
        if (address == null) {
            return CompletableFuture.failedFuture(new PeerUnavailableException("it advertises no address (application.server)"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + address + path(question)))
                .timeout(timeout);
        String bearer = token.get();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new PeerUnavailableException("answered " + r.statusCode());
            }
            try {
                return decode(r.body(), question.itemType());
            } catch (IOException | IllegalArgumentException e) {
                throw new PeerUnavailableException("sent an answer that is not ours: " + e.getMessage());
            }
        });
    }

    /** The path and query of a question. */
    static String path(PeerQuestion<?> question) {
        if (question instanceof PeerQuestion.Edges q) {
            return EDGES + "?from=" + enc(q.from().toString()) + "&to=" + enc(q.to().toString());
        }
        if (question instanceof PeerQuestion.Series q) {
            return SERIES + "?key=" + enc(q.key()) + "&from=" + enc(q.from().toString()) + "&to=" + enc(q.to().toString());
        }
        return question instanceof PeerQuestion.Links ? LINKS : WORKLOADS;
    }

    // ---- answering

    /**
     * Declares the protocol's routes: each parses its question and answers with this instance's part.
     *
     * @param send writes a 200 answer with a JSON body
     */
    public static void serve(RoutesConfig routes, TopologyQueryService service, BiConsumer<Context, Object> send) {
        for (String path : PATHS) {
            routes.get(path, ctx -> send.accept(ctx, encode(service.localPart(question(path, ctx::queryParam)))));
        }
    }

    /** The question a request on {@code path} asks. */
    static PeerQuestion<?> question(String path, Function<String, String> param) {
        return switch (path) {
            case EDGES -> new PeerQuestion.Edges(instant(param, "from"), instant(param, "to"));
            case LINKS -> new PeerQuestion.Links();
            case WORKLOADS -> new PeerQuestion.Workloads();
            case SERIES -> {
                Instant from = instant(param, "from");
                Instant to = instant(param, "to");
                yield new PeerQuestion.Series(required(param, "key"), from, to);
            }
            default -> throw new IllegalArgumentException("not a path of the peer protocol: " + path);
        };
    }

    private static Instant instant(Function<String, String> param, String name) {
        return TimeRange.instant(name, required(param, name));
    }

    private static String required(Function<String, String> param, String name) {
        return BadParameterException.required(name, param.apply(name));
    }

    // ---- the body

    /** The body of a per-instance answer. */
    static ObjectNode encode(Partitioned<?> part) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode partitions = body.putObject("partitions");
        part.items().forEach((p, items) -> partitions.set(String.valueOf(p), JSON.valueToTree(items)));
        ObjectNode failures = body.putObject("failures");
        part.failures().forEach((p, why) -> failures.put(String.valueOf(p), why));
        return body;
    }

    static <T> Partitioned<T> decode(byte[] body, Class<T> type) throws IOException {
        JsonNode tree = JSON.readTree(body);
        JsonNode partitions = tree == null ? null : tree.get("partitions");
        if (partitions == null || !partitions.isObject()) {
            throw new IOException("no partitions in the answer");
        }
        JavaType list = JSON.getTypeFactory().constructCollectionType(List.class, type);
        Map<Integer, List<T>> items = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> p : partitions.properties()) {
            items.put(partition(p.getKey()), JSON.convertValue(p.getValue(), list));
        }
        Map<Integer, String> failures = new LinkedHashMap<>();
        JsonNode failed = tree.path("failures");
        for (Map.Entry<String, JsonNode> p : failed.properties()) {
            failures.put(partition(p.getKey()), p.getValue().asText());
        }
        return new Partitioned<>(items, failures);
    }

    private static int partition(String text) throws IOException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IOException("'" + text + "' is not a partition");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
