package io.hubbletopology.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.ApiDescription;
import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ResponseSchemas;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.api.access.RawRequest.Answer;
import io.hubbletopology.topics.TopicNames;

/**
 * Walks every route the server's router holds, in every spelling a request can take, with and without a
 * token, over raw sockets: with tokens set, only the routes declared open answer without one, and WebSockets
 * are refused at the handshake.
 */
@Timeout(180)
class AccessControlIT {

    private static final String TOKEN = "access-it-token";
    private static final String PAGE = "https://topology.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path stateDir;
    private static RunningApi run;
    private static ApiServer api;

    @BeforeAll
    static void start() {
        TopicNames topics = TopicNames.prefixed("access-it.");
        run = RunningApi.start(FastCommits.onTwoPartitions("access-it", stateDir, topics),
                new ApiSettings("127.0.0.1", 0, "both").withTokens(List.of(TOKEN))).awaitRunning();
        api = run.api();
    }

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    /** Every way of writing a route's path that a router might take for it. */
    private static List<String> spellings(String path) {
        int firstLetter = path.indexOf(path.chars().filter(Character::isLetter).findFirst().orElseThrow());
        List<String> out = new ArrayList<>(List.of(path, path + "/", path + "//", "/" + path, path.replace("/", "//"), path.replaceFirst("/", "//").replaceFirst("(\\w)/", "$1//"),
                path.substring(0, firstLetter) + String.format("%%%02x", (int) path.charAt(firstLetter)) + path.substring(firstLetter + 1),
                path.substring(0, firstLetter) + String.format("%%%02X", (int) path.charAt(firstLetter)) + path.substring(firstLetter + 1),
                path.toUpperCase(Locale.ROOT), path.substring(0, firstLetter) + Character.toUpperCase(path.charAt(firstLetter)) + path.substring(firstLetter + 1),
                path.replace("/", "%2F"), path + "/.", path + "?", path + "/?x=1"));
        return out.stream().distinct().toList();
    }

    /** Credentials that are not a valid token: none, wrong ones, a good one in a scheme that is not Bearer. */
    private static List<RawRequest> withoutAValidToken(String method, String target) {
        RawRequest bare = new RawRequest(method, target, Map.of());
        String joiner = target.contains("?") ? "&" : "?";
        return List.of(bare, new RawRequest(method, target + joiner + "token=wrong", Map.of()),
                new RawRequest(method, target + joiner + "token=", Map.of()),
                bare.with("Authorization", "Bearer wrong"), bare.with("Authorization", "Bearer " + TOKEN + "x"),
                bare.with("Authorization", "Bearer"), bare.with("Authorization", "Basic " + TOKEN),
                bare.with("Authorization", TOKEN));
    }

    /**
     * A refusal with a body is the API's one JSON error shape, whoever refused (the gate, the router, Jetty). HEAD has
     * no body; nor has an OPTIONS that Jetty refuses before routing (its error pages are for GET, POST and HEAD only).
     */
    private static boolean errorShaped(RawRequest request, Answer answer) {
        if (request.method().equals("HEAD") || request.method().equals("OPTIONS") && answer.body().isEmpty()) {
            return true;
        }
        try {
            ResponseSchemas.assertError(answer.body());
            return answer.head().toLowerCase(Locale.ROOT).contains("content-type: application/json");
        } catch (AssertionError e) {
            return false;
        }
    }

    private static List<DeclaredRoute> httpRoutes() {
        return api.routes().stream().filter(r -> !r.method().equals(DeclaredRoute.WEBSOCKET)).toList();
    }

    private static String concrete(String path) {
        return path.replaceAll("\\{[^}]*}|<[^>]*>", "x");
    }

    @Test
    void everyRouteTheRouterHoldsIsInTheApiDescription() throws Exception {
        // The description is a client's contract: a route added to the server and not to openapi.json fails here.
        JsonNode paths = new ObjectMapper().readTree(ApiServer.class.getResourceAsStream(ApiDescription.RESOURCE)).path("paths");
        List<String> undocumented = new ArrayList<>();
        for (DeclaredRoute route : api.routes()) {
            String method = route.method().equals(DeclaredRoute.WEBSOCKET) ? "get" : route.method().toLowerCase(Locale.ROOT);
            if (!paths.path(route.path()).has(method)) {
                undocumented.add(route.method() + " " + route.path());
            }
        }
        assertThat(undocumented).as("routes missing from %s", ApiDescription.RESOURCE).isEmpty();
    }

    @Test
    void theRenderedDescriptionAndItsAssetsAnswerWithoutAToken() throws Exception {
        Answer docs = RawRequest.get("/api/docs").send(api.port());
        assertThat(docs.status()).isEqualTo(200);
        java.util.regex.Matcher asset = java.util.regex.Pattern.compile("(?:src|href)=\"(/webjars/[^\"]+)\"").matcher(docs.body());
        int assets = 0;
        while (asset.find()) {
            assertThat(RawRequest.get(asset.group(1)).send(api.port()).status()).as(asset.group(1)).isEqualTo(200);
            assets++;
        }
        assertThat(assets).as("the page's scripts and styles come from the jar").isEqualTo(2);
    }

    @Test
    void theRouterHoldsTheRoutesTheWalkCovers() {
        // The walk below is only as good as the list it walks: it must come from the router and hold every kind.
        List<DeclaredRoute> routes = api.routes();
        assertThat(routes).extracting(DeclaredRoute::path)
                .contains("/topology", "/links", "/api/v1/topology", "/internal/v1/edges", "/ws/topology", "/ws/flows", "/health");
        assertThat(routes).filteredOn(DeclaredRoute::open).extracting(DeclaredRoute::path)
                .containsExactlyInAnyOrder("/health", "/healthz", "/ready", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/docs");
    }

    @Test
    void probeAliasesAreDecidedExactlyLikeTheProbesTheyNameAgain() throws Exception {
        // /healthz and /readyz are the agent's and sink's first names for /health and /ready: every spelling, with
        // or without a token, must get what the original gets, so an alias is never a way past the gate.
        for (var probe : Map.of("/healthz", "/health", "/readyz", "/ready").entrySet()) {
            List<String> aliases = spellings(probe.getKey());
            List<String> originals = spellings(probe.getValue());
            assertThat(aliases).hasSameSizeAs(originals);
            for (int i = 0; i < aliases.size(); i++) {
                for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                    List<RawRequest> viaAlias = withoutAValidToken(method, aliases.get(i));
                    List<RawRequest> viaOriginal = withoutAValidToken(method, originals.get(i));
                    for (int j = 0; j < viaAlias.size(); j++) {
                        assertThat(viaAlias.get(j).send(api.port()).status()).as(viaAlias.get(j) + " vs " + viaOriginal.get(j))
                                .isEqualTo(viaOriginal.get(j).send(api.port()).status());
                    }
                }
            }
            Answer alias = RawRequest.get(probe.getKey()).send(api.port());
            assertThat(alias.status()).isEqualTo(200);
            assertThat(alias.body()).isEqualTo(RawRequest.get(probe.getValue()).send(api.port()).body());
        }
    }

    @Test
    void everyGuardedRouteRefusesEverySpellingWithoutAValidToken() throws Exception {
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (DeclaredRoute route : httpRoutes()) {
            if (route.open()) {
                continue;
            }
            String path = concrete(route.path());
            for (String spelling : spellings(path)) {
                for (String method : List.of(route.method(), "HEAD", "OPTIONS")) {
                    for (RawRequest request : withoutAValidToken(method, spelling)) {
                        Answer answer = request.send(api.port());
                        sent++;
                        if (answer.status() < 400 || answer.status() >= 500 || answer.status() == 403 || !errorShaped(request, answer)) {
                            failures.add(request.method() + " " + request.target() + " " + request.headers() + " -> " + answer.status()
                                    + " " + answer.body().substring(0, Math.min(120, answer.body().length())));
                        }
                    }
                }
            }
            // The spellings the router does route: refused as unauthorised, not merely missing.
            for (String spelling : List.of(path, path + "/")) {
                for (String method : List.of(route.method(), "HEAD")) {
                    Answer answer = new RawRequest(method, spelling, Map.of()).send(api.port());
                    if (answer.status() != 401 || !answer.head().toLowerCase(Locale.ROOT).contains("www-authenticate: bearer")) {
                        failures.add(method + " " + spelling + " without a token -> " + answer.status() + ", not 401 asking for a bearer token");
                    } else if (method.equals("GET") && !JSON.readTree(answer.body()).path("error").asText().equals("unauthorized")) {
                        failures.add(method + " " + spelling + " without a token -> " + answer.body() + ", not error unauthorized");
                    }
                }
            }
        }
        assertThat(sent).isGreaterThan(1_000);
        assertThat(failures).as("requests without a valid token that were not refused").isEmpty();
    }

    @Test
    void everyGuardedRouteAnswersItsCanonicalSpellingWithAValidToken() throws Exception {
        for (DeclaredRoute route : httpRoutes()) {
            String path = concrete(route.path());
            RawRequest request = new RawRequest(route.method(), path, Map.of());
            for (RawRequest authorised : List.of(request.with("Authorization", "Bearer " + TOKEN),
                    request.with("Authorization", "bearer " + TOKEN), new RawRequest(route.method(), path + "?token=" + TOKEN, Map.of()))) {
                Answer answer = authorised.send(api.port());
                // 400 is the route itself naming a missing parameter: its handler ran; 426 a live feed's plain GET.
                assertThat(answer.status()).as(authorised.target() + " " + authorised.headers() + ": " + answer.body())
                        .isIn(200, 400, route.path().startsWith("/ws/") ? 426 : 200);
                if (answer.status() == 400) {
                    assertThat(answer.body()).contains("bad_parameter");
                }
                if (answer.head().toLowerCase(Locale.ROOT).contains("content-type: application/json")) {
                    ResponseSchemas.assertDocumented(route.method(), route.path(), answer.status(), answer.body());
                }
            }
            if (!route.open()) {
                Answer refused = request.send(api.port());
                ResponseSchemas.assertDocumented(route.method(), route.path(), refused.status(), refused.body());
            }
        }
    }

    @Test
    void openRoutesAndThePageAnswerWithoutAToken() throws Exception {
        for (DeclaredRoute route : httpRoutes()) {
            if (route.open()) {
                assertThat(RawRequest.get(route.path()).send(api.port()).status()).as(route.path()).isEqualTo(200);
            }
        }
        for (String asset : List.of("/", "/index.html", "/app.js", "/app.css", "/webjars/cytoscape/3.33.1/dist/cytoscape.min.js")) {
            assertThat(RawRequest.get(asset).send(api.port()).status()).as(asset).isEqualTo(200);
        }
        assertThat(RawRequest.get("/no-such-page").send(api.port()).status()).isEqualTo(404);
    }

    @Test
    void refusesWebSocketsWithoutAValidTokenAtTheHandshake() throws Exception {
        List<DeclaredRoute> sockets = api.routes().stream().filter(r -> r.method().equals(DeclaredRoute.WEBSOCKET)).toList();
        assertThat(sockets).extracting(DeclaredRoute::path).contains("/ws/topology", "/ws/flows");
        for (DeclaredRoute socket : sockets) {
            for (String spelling : spellings(socket.path())) {
                for (RawRequest request : withoutAValidToken("GET", spelling)) {
                    RawRequest handshake = request.upgrade();
                    Answer answer = handshake.send(api.port());
                    assertThat(answer.status()).as(request.target() + " " + request.headers()).isIn(400, 401, 404);
                    assertThat(answer.head()).doesNotContainIgnoringCase("Upgrade: websocket");
                    assertThat(errorShaped(handshake, answer)).as(request.target() + " " + request.headers() + ": " + answer.body()).isTrue();
                }
            }
            for (String spelling : List.of(socket.path(), socket.path() + "/", socket.path() + "?namespace=shop")) {
                Answer refused = RawRequest.get(spelling).upgrade().send(api.port());
                assertThat(refused.status()).as(spelling).isEqualTo(401);
                assertThat(refused.head()).containsIgnoringCase("WWW-Authenticate: Bearer");
                ResponseSchemas.assertDocumented("GET", socket.path(), 401, refused.body());
                assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("unauthorized");
            }
            // Without a token a bad parameter is not looked at: the client learns nothing but that it needs one.
            assertThat(RawRequest.get(socket.path() + "?colour=blue").upgrade().send(api.port()).status()).isEqualTo(401);
            assertThat(RawRequest.get(socket.path()).with("Authorization", "Bearer " + TOKEN).upgrade().send(api.port()).status())
                    .as(socket.path() + " with a token").isEqualTo(101);
            assertThat(RawRequest.get(socket.path() + "?token=" + TOKEN).upgrade().send(api.port()).status())
                    .as(socket.path() + "?token=").isEqualTo(101);
        }
    }

    @Test
    void refusesWebSocketsFromAnotherOriginAtTheHandshake() throws Exception {
        try (ApiServer guarded = new ApiServer(new ApiSettings("127.0.0.1", 0, "both").withTokens(List.of(TOKEN))
                .withAllowedOrigins(List.of(PAGE)), run.processor().queryService())) {
            guarded.start();
            for (String path : List.of("/ws/topology", "/ws/flows")) {
                RawRequest withToken = RawRequest.get(path).with("Authorization", "Bearer " + TOKEN).upgrade();
                for (RawRequest foreign : List.of(withToken.with("Origin", "https://evil.example"), withToken)) {
                    Answer refused = foreign.send(guarded.port());
                    assertThat(refused.status()).as(path + " " + foreign.headers()).isEqualTo(403);
                    ResponseSchemas.assertDocumented("GET", path, 403, refused.body());
                    assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("forbidden");
                }
                assertThat(RawRequest.get(path).with("Origin", PAGE).upgrade().send(guarded.port()).status())
                        .as(path + " allowed origin, no token").isEqualTo(401);
                Answer allowed = withToken.with("Origin", PAGE).send(guarded.port());
                assertThat(allowed.status()).as(path + " allowed origin with a token").isEqualTo(101);
            }
        }
    }
}
