package io.hubbletopology.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.Deflater;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.compression.CompressionPool;
import org.eclipse.jetty.util.compression.DeflaterPool;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.access.AcceptedTokens;
import io.hubbletopology.api.access.Access;
import io.hubbletopology.api.access.AccessGate;
import io.hubbletopology.api.access.AccessRefused;
import io.hubbletopology.api.access.DeclaredRoute;
import io.hubbletopology.api.cluster.PeerProtocol;
import io.hubbletopology.api.flows.FlowRoutes;
import io.hubbletopology.api.flows.FlowSearch;
import io.hubbletopology.api.live.EdgeDetail;
import io.hubbletopology.api.live.FeedFilter;
import io.hubbletopology.api.live.FeedMessages;
import io.hubbletopology.api.live.FeedUpdate;
import io.hubbletopology.api.live.LiveEndpoint;
import io.hubbletopology.api.live.LiveFeed;
import io.hubbletopology.api.live.SnapshotShape;
import io.hubbletopology.api.live.UpdateShape;
import io.hubbletopology.api.policy.PolicyRoute;
import io.hubbletopology.probes.ProbePaths;
import io.hubbletopology.processor.TopologyQueryService;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.errors.NotFoundException;
import io.hubbletopology.processor.errors.QueryException;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.processor.query.Answer;
import io.hubbletopology.processor.query.ClusterAnswers;
import io.hubbletopology.processor.query.LiveTopology;
import io.hubbletopology.processor.query.TopicFollower;
import io.hubbletopology.threads.DaemonThreads;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The HTTP face of the processor: the old agent's {@code /topology}, {@code /links}, {@code /health} and
 * {@code /ws/topology}, probes, the versioned API under {@code /api/v1}, Prometheus {@code /metrics}, and the
 * live map at {@code /}.
 *
 * <pre>{@code
 * ApiServer api = new ApiServer(new ApiSettings("0.0.0.0", 8080, "hubble"), processor.queryService());
 * api.start();
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** What {@code /topology} covers when asked without a range. */
    public static final Duration DEFAULT_RANGE = Duration.ofMinutes(15);
    /** How long before a request a topology answer handed to it may have been computed (README: one second). */
    public static final Duration ANSWER_MAX_AGE = Duration.ofSeconds(1);
    private static final Set<String> KNOWN_ROUTES = Stream.concat(Stream.of("/health", "/healthz", "/ready", "/readyz", "/metrics", "/topology", "/links",
            "/api/v1/topology", "/api/v1/edges", "/api/v1/links", "/api/v1/workloads", "/api/v1/namespaces", "/api/v1/flows", "/api/v1/policies",
            "/api/v1/openapi.json", "/ws/topology", "/ws/flows"), PeerProtocol.PATHS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final ApiSettings settings;
    private final TopologyQueryService processor;
    private final ObjectMapper json = OutputJson.MAPPER;
    private final Clock clock = Clock.systemUTC();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AcceptedTokens tokens;
    private final LiveFeed feed;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("api-ticks"));
    private final LiveFeed flowTail;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(DaemonThreads.named("api-answer-refresh"));
    // Topology answers: shared while at most a second old; 256 questions and 64 MiB of JSON and gzip bytes at most.
    private final AnswerCache answers = new AnswerCache(ANSWER_MAX_AGE, Duration.ofMinutes(1), 256, 64L << 20, refresher);
    private TopicFollower outputs;
    private ClusterAnswers cluster;
    private FlowRoutes flows;
    private Javalin app;

    /** @param processor the processor this API answers for, as the API may ask it */
    public ApiServer(ApiSettings settings, TopologyQueryService processor) {
        this.settings = settings;
        this.processor = processor;
        this.tokens = new AcceptedTokens(settings.tokens(), settings.tokensFile());
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.feed = new LiveFeed(settings.maxClients(), settings.clientQueue(), settings.stallTimeout(), registry);
        this.flowTail = LiveFeed.skipping("flows", settings.maxClients(), settings.clientQueue(), settings.stallTimeout(), registry);
    }

    public synchronized void start() {
        tokens.watch();
        AccessGate gate = new AccessGate(tokens, settings.allowedOrigins());
        ClusterAnswers cluster = processor.acrossCluster(new PeerProtocol(
                java.net.http.HttpClient.newBuilder().connectTimeout(settings.peerTimeout()).build(), settings.peerTimeout(),
                tokens::forPeers, settings.keystore() == null ? "http" : "https"));
        this.cluster = cluster;
        processor.bindMetrics(registry);
        TopologyRoutes rest = new TopologyRoutes(cluster, clock, registry);
        flows = new FlowRoutes(processor.flowHistory(), flowTail, registry, clock, settings.flowBounds());
        // Tokens and origins are checked at the handshake (AccessGate), before a live endpoint sees the client.
        LiveEndpoint flowsLive = flows.liveEndpoint(settings.heartbeat());
        Function<Function<String, String>, Predicate<FeedUpdate>> topologyFilter =
                params -> FeedFilter.parse(params.apply("namespace"), params.apply("verdict"), params.apply("protocol"),
                        params.apply("min_flows"));
        LiveEndpoint live = new LiveEndpoint(feed, settings.heartbeat(), topologyFilter, this::snapshot);
        UnknownParameterCheck unknownParameters = new UnknownParameterCheck(ApiDescription.load());
        app = Javalin.create(config -> {
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            // The page and its scripts carry no data (it asks the API, with a token): open, like the probes.
            config.staticFiles.add("/public", Location.CLASSPATH, Set.of(Access.OPEN));
            config.staticFiles.add(webjars -> {
                webjars.hostedPath = "/webjars";
                webjars.directory = "META-INF/resources/webjars";
                webjars.headers = Map.of("Cache-Control", "max-age=31622400");
                webjars.roles = Set.of(Access.OPEN);
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorPages()));
            // Browsers ask for permessage-deflate, and the server deflates every message once per client: at
            // Jetty's default level a 1,000-workload snapshot took the page twice as long to receive as at the
            // fastest (BENCHMARKS.md, page at size), which still compresses for a client on a slow link.
            config.jetty.modifyServletContextHandler(handler -> handler.setAttribute(WebSocketServerComponents.WEBSOCKET_DEFLATER_POOL_ATTRIBUTE,
                    new DeflaterPool(CompressionPool.DEFAULT_CAPACITY, Deflater.BEST_SPEED, true)));
            if (settings.keystore() != null) {
                config.jetty.modifyServer(server -> server.setConnectors(new org.eclipse.jetty.server.Connector[] {https(server)}));
            }
            config.routes.before(this::beforeRequest);
            // Decided by the matched route's roles: a route declared without Access.OPEN needs a token.
            config.routes.beforeMatched(gate::checkRequest);
            config.routes.wsBeforeUpgrade(gate::checkUpgrade);
            // Then the parameters, against the OpenAPI description: an unknown one is a 400 naming it.
            config.routes.beforeMatched(unknownParameters);
            config.routes.after(this::afterRequest);
            // The same probe paths as every other role, the agent's first names included (ProbePaths).
            ProbePaths.LIVENESS.forEach(path -> config.routes.get(path, this::health, Access.OPEN));
            ProbePaths.READINESS.forEach(path -> config.routes.get(path, this::ready, Access.OPEN));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(registry.scrape()),
                    Access.openUnless(settings.metricsRequireToken()));
            // Past the access gate and the parameter check (beforeMatched): cached bytes go only to whom may see them.
            config.routes.get("/topology", ctx -> sendCached(ctx, "/topology", rest::oldTopology));
            config.routes.get("/api/v1/topology", ctx -> sendCached(ctx, "/api/v1/topology", rest::topology));
            config.routes.get("/api/v1/edges", ctx -> send(ctx, 200, rest.edgeSeries(ctx)));
            config.routes.get("/links", ctx -> send(ctx, 200, rest.links(ctx)));
            config.routes.get("/api/v1/links", ctx -> send(ctx, 200, rest.links(ctx)));
            config.routes.get("/api/v1/workloads", ctx -> send(ctx, 200, rest.workloads(ctx)));
            config.routes.get("/api/v1/namespaces", ctx -> send(ctx, 200, rest.namespaces(ctx)));
            config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json")
                    .result(getClass().getResourceAsStream("/openapi.json")), Access.OPEN);
            // The description rendered for people, from assets in the jar: open, like the description itself.
            config.routes.get("/api/docs", ctx -> ctx.html(new String(getClass().getResourceAsStream("/api-docs.html")
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)), Access.OPEN);
            PeerProtocol.serve(config.routes, processor, (ctx, body) -> send(ctx, 200, body));
            config.routes.get("/api/v1/flows", ctx -> send(ctx, 200, flows.query(ctx)));
            config.routes.get(PolicyRoute.PATH, new PolicyRoute(cluster, clock)::handle);
            // Their parameters checked at the handshake (400 naming a bad one), and a plain GET told 426.
            // The snapshot's and the updates' shapes and the edges' detail are read from the parameters too: a bad one is refused at the handshake, named.
            LiveHandshake.register(config.routes, "/ws/topology", params -> {
                SnapshotShape.parse(params.apply("snapshot"));
                UpdateShape.parse(params.apply("updates"));
                EdgeDetail.parse(params.apply("detail"));
                return topologyFilter.apply(params);
            }, unknownParameters);
            LiveHandshake.register(config.routes, "/ws/flows", FlowRoutes::liveFilter, unknownParameters);
            config.routes.ws("/ws/topology", live::configure);
            config.routes.ws("/ws/flows", flowsLive::configure);
            // Every expected failure, whatever it is, mapped by QueryStatus; anything else is ours (500).
            config.routes.exception(QueryException.class, (e, ctx) -> {
                QueryStatus.headers(e).forEach(ctx::header);
                send(ctx, QueryStatus.http(e), QueryStatus.body(e));
            });
            config.routes.exception(AccessRefused.class, (e, ctx) -> {
                QueryStatus.headers(e).forEach(ctx::header);
                send(ctx, QueryStatus.http(e), QueryStatus.body(e));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (e instanceof org.eclipse.jetty.http.HttpException refused && refused.getCode() >= 400 && refused.getCode() < 500) {
                    // Jetty's own refusal of what it cannot read, e.g. a bad %-escape in a WebSocket handshake's
                    // query (Jetty parses it again, strictly, while upgrading): the client's error, not ours.
                    String parameter = UnreadableQuery.parameter(ctx.queryString());
                    send(ctx, refused.getCode(), QueryStatus.body(new BadParameterException(parameter,
                            (parameter.equals(UnreadableQuery.WHOLE_QUERY) ? "the query string" : "parameter " + parameter)
                                    + " could not be read as percent-encoded UTF-8 (" + refused.getReason() + ")")));
                    return;
                }
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                send(ctx, 500, QueryStatus.body("internal", "the request failed; see the server log", null));
            });
            config.routes.error(404, ctx -> send(ctx, 404, QueryStatus.body(new NotFoundException("no such path: " + ctx.path()))));
        }).start();
        ticks.scheduleAtFixedRate(() -> {
            live.resetInboundCounts();
            flowsLive.resetInboundCounts();
        }, 1, 1, TimeUnit.SECONDS);
        outputs = processor.outputs().follow("live-feed", update -> feed.publish(FeedMessages.edge(update)),
                link -> feed.publish(FeedMessages.link(link)));
        flows.start();
        log.info("Query API on {}://{}:{}", settings.keystore() == null ? "http" : "https", settings.host(), app.port());
    }

    private ServerConnector https(org.eclipse.jetty.server.Server server) {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(settings.keystore().toString());
        tls.setKeyStorePassword(settings.keystorePassword());
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
    }

    /** The port the API listens on (useful when it was started on port 0). */
    public int port() {
        return app.port();
    }

    /** The live feed, for tests and the processor's own publishers. */
    public LiveFeed feed() {
        return feed;
    }

    /** True once the live feeds follow their topics: every later change reaches the clients. */
    public boolean liveFeedFollowing() {
        return outputs != null && outputs.following() && flows.following();
    }

    /** True once the flow tail follows the flows topic. */
    public boolean flowTailFollowing() {
        return flows != null && flows.following();
    }

    /** The search behind GET /api/v1/flows, which the Observer API shares (its readers are the REST search's). */
    public FlowSearch flowSearch() {
        return flows.search();
    }

    /** The registry {@code /metrics} serves, for what runs beside the API (the Observer API) to add its figures to. */
    public io.micrometer.core.instrument.MeterRegistry meters() {
        return registry;
    }

    /** The flow tail's feed, for tests. */
    public LiveFeed flowTail() {
        return flowTail;
    }

    /** Every route the server declared, as its router holds them: what access tests walk. */
    public List<DeclaredRoute> routes() {
        return DeclaredRoute.allOf(app);
    }

    private void beforeRequest(Context ctx) {
        ctx.attribute("started", System.nanoTime());
    }

    private void afterRequest(Context ctx) {
        Long started = ctx.attribute("started");
        if (started == null) {
            return;
        }
        String route = KNOWN_ROUTES.contains(ctx.path()) ? ctx.path() : "other";
        Timer.builder("hubble_topology_http_requests").description("HTTP request latency")
                .tags("method", ctx.method().name(), "route", route, "status", String.valueOf(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("mode", settings.mode());
        body.put("streams", processor.state());
        send(ctx, 200, body);
    }

    private void ready(Context ctx) {
        boolean ready = processor.ready();
        send(ctx, ready ? 200 : 503, Map.of("status", ready ? "ready" : "starting", "streams", processor.state()));
    }

    /** What a new live client sees first: the edges of the snapshot range and every link state. */
    private List<FeedUpdate> snapshot() {
        List<FeedUpdate> updates = new ArrayList<>();
        Instant now = clock.instant();
        // The whole cluster's state, as a REST client would get it, and how complete that was; the windows that
        // updates can still change come one by one, so that a client keeping the latest per edge and window on top
        // of the settled sum counts each flow once (README, /ws/topology).
        Answer<LiveTopology> edges = cluster.liveTopology(now.minus(settings.snapshotRange()), now);
        for (EdgeStats edge : edges.value().settled()) {
            updates.add(FeedMessages.edge(edge));
        }
        for (EdgeUpdate window : edges.value().open()) {
            updates.add(FeedMessages.edge(window));
        }
        List<Answer.Missing> missing = new ArrayList<>(edges.missing());
        if (!processor.ready()) {
            // Not running yet: the status alone, partial, tells the client what it lacks (it asks again).
            updates.add(FeedMessages.snapshotStatus(true, missing, now, edges.value(), 0));
            return updates;
        }
        Answer<List<LinkState>> links = cluster.links();
        for (LinkState link : TopologyView.sorted(links.value())) {
            updates.add(FeedMessages.link(link));
        }
        missing.addAll(links.missing());
        updates.add(FeedMessages.snapshotStatus(!missing.isEmpty(), missing, now, edges.value(), links.value().size()));
        return updates;
    }


    /** A topology answer from the cache: one computation and one encoding per question and freshness bound. */
    private void sendCached(Context ctx, String path, java.util.function.Function<Map<String, String>, Map<String, Object>> route) {
        Map<String, String> params = TopologyRoutes.params(ctx);
        boolean gzip = AnswerResponse.gzip(ctx);
        AnswerResponse.send(ctx, answers.get(TopologyRoutes.question(path, params), gzip, () -> encode(route.apply(params))), gzip);
    }

    private EncodedAnswer encode(Object body) {
        try {
            return EncodedAnswer.of(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer that cannot be written as JSON", e);
        }
    }

    private void send(Context ctx, int status, Object body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            text = "{\"error\":\"internal\",\"message\":\"the answer could not be written\"}";
        }
        ctx.status(status).contentType("application/json");
        if (ctx.header("Sec-WebSocket-Version") == null) {
            ctx.result(text);
            return;
        }
        // A refused WebSocket handshake (Javalin routes by this header): Javalin writes no result there, so the body
        // goes out directly, or the client would get the status with an empty body.
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            ctx.res().setContentLength(bytes.length);
            ctx.res().getOutputStream().write(bytes);
            ctx.res().flushBuffer();
        } catch (IOException e) {
            log.debug("Could not answer the refused handshake of {}: {}", ctx.ip(), e.toString());
        }
    }

    @Override
    public synchronized void close() {
        ticks.shutdownNow();
        refresher.shutdownNow();
        tokens.close();
        if (outputs != null) {
            outputs.close();
        }
        if (flows != null) {
            flows.close();
        }
        feed.close();
        flowTail.close();
        gcMetrics.close();
        if (app != null) {
            app.stop();
        }
    }
}
