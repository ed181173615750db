package io.hubbletopology.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.access.AcceptedTokens;
import io.hubbletopology.api.access.Access;
import io.hubbletopology.api.access.AccessGate;
import io.hubbletopology.api.access.DeclaredRoute;
import io.hubbletopology.api.live.FeedFilter;
import io.hubbletopology.api.live.FeedMessages;
import io.hubbletopology.api.live.FeedUpdate;
import io.hubbletopology.api.live.LiveEndpoint;
import io.hubbletopology.api.live.LiveFeed;
import io.hubbletopology.api.live.TopicFollower;
import io.hubbletopology.api.flows.FlowRoutes;
import io.hubbletopology.api.flows.FlowSearch;
import io.hubbletopology.api.policy.PolicyRoute;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.processor.TopologyQueries;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.LinkState;
import io.hubbletopology.processor.model.ModelJson;
import io.hubbletopology.api.cluster.Answer;
import io.hubbletopology.api.cluster.ClusterQueries;
import io.hubbletopology.api.cluster.PeerProtocol;
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
 * ApiServer api = new ApiServer(new ApiSettings("0.0.0.0", 8080, "hubble"), processor);
 * api.start();
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** What {@code /topology} covers when asked without a range. */
    public static final Duration DEFAULT_RANGE = Duration.ofMinutes(15);
    /** How long before a request a topology answer handed to it may have been computed (README: one second). */
    public static final Duration ANSWER_MAX_AGE = Duration.ofSeconds(1);
    private static final Set<String> KNOWN_ROUTES = Set.of("/health", "/ready", "/metrics", "/topology", "/links",
            "/api/v1/topology", "/api/v1/edges", "/api/v1/links", "/api/v1/workloads", "/api/v1/namespaces", "/api/v1/flows", "/api/v1/policies",
            "/api/v1/openapi.json", "/internal/v1/edges", "/internal/v1/links", "/internal/v1/workloads", "/internal/v1/series",
            "/ws/topology", "/ws/flows");

    private final ApiSettings settings;
    private final TopologyProcessor processor;
    private final ObjectMapper json = ModelJson.MAPPER;
    private final Clock clock = Clock.systemUTC();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AcceptedTokens tokens;
    private final LiveFeed feed;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "api-ticks");
        t.setDaemon(true);
        return t;
    });
    private final LiveFeed flowTail;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "api-answer-refresh");
        t.setDaemon(true);
        return t;
    });
    // Topology answers: shared while at most a second old; 256 questions and 64 Mi characters at most.
    private final AnswerCache answers = new AnswerCache(ANSWER_MAX_AGE, Duration.ofMinutes(1), 256, 64L << 20, refresher);
    private TopicFollower outputs;
    private ClusterQueries cluster;
    private FlowRoutes flows;
    private Javalin app;

    public ApiServer(ApiSettings settings, TopologyProcessor processor) {
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
        Map<String, Object> kafka = kafkaProperties();
        tokens.watch();
        AccessGate gate = new AccessGate(tokens, settings.allowedOrigins());
        ClusterQueries cluster = new ClusterQueries(processor.queries(), settings.peerTimeout(),
                tokens::forPeers, settings.keystore() == null ? "http" : "https",
                java.net.http.HttpClient.newBuilder().connectTimeout(settings.peerTimeout()).build());
        this.cluster = cluster;
        processor.bindMetrics(registry);
        TopologyRoutes rest = new TopologyRoutes(processor, cluster, clock, registry);
        flows = new FlowRoutes(kafka, processor.config().topics().flows(), flowTail, registry, clock, settings.flowBounds());
        // Tokens and origins are checked at the handshake (AccessGate), before a live endpoint sees the client.
        LiveEndpoint flowsLive = flows.liveEndpoint(settings.heartbeat());
        LiveEndpoint live = new LiveEndpoint(feed, settings.heartbeat(),
                params -> FeedFilter.parse(params.apply("namespace"), params.apply("verdict"), params.apply("protocol"),
                        params.apply("min_flows")),
                this::snapshot);
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
            if (settings.keystore() != null) {
                config.jetty.modifyServer(server -> server.setConnectors(new org.eclipse.jetty.server.Connector[] {https(server)}));
            }
            config.routes.before(this::beforeRequest);
            // Decided by the matched route's roles: a route declared without Access.OPEN needs a token.
            config.routes.beforeMatched(gate::checkRequest);
            config.routes.wsBeforeUpgrade(gate::checkUpgrade);
            // Then the parameters, against the OpenAPI description: an unknown one is a 400 naming it.
            config.routes.beforeMatched(new UnknownParameterCheck(ApiDescription.load()));
            config.routes.after(this::afterRequest);
            config.routes.get("/health", this::health, Access.OPEN);
            config.routes.get("/ready", this::ready, Access.OPEN);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(registry.scrape()),
                    Access.openUnless(settings.metricsRequireToken()));
            config.routes.get("/topology", ctx -> {
                Map<String, String> params = TopologyRoutes.params(ctx);
                sendJson(ctx, answers.get(TopologyRoutes.question("/topology", params), () -> write(rest.oldTopology(params))));
            });
            config.routes.get("/api/v1/topology", ctx -> {
                Map<String, String> params = TopologyRoutes.params(ctx);
                sendJson(ctx, answers.get(TopologyRoutes.question("/api/v1/topology", params), () -> write(rest.topology(params))));
            });
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
            config.routes.get(PeerProtocol.EDGES, ctx -> send(ctx, 200, rest.internalEdges(ctx)));
            config.routes.get(PeerProtocol.LINKS, ctx -> send(ctx, 200, rest.internalLinks(ctx)));
            config.routes.get(PeerProtocol.WORKLOADS, ctx -> send(ctx, 200, rest.internalWorkloads(ctx)));
            config.routes.get(PeerProtocol.SERIES, ctx -> send(ctx, 200, rest.internalSeries(ctx)));
            config.routes.get("/api/v1/flows", ctx -> send(ctx, 200, flows.query(ctx)));
            config.routes.get(PolicyRoute.PATH, new PolicyRoute(cluster, processor::running, () -> processor.state().name(), clock)::handle);
            config.routes.ws("/ws/topology", live::configure);
            config.routes.ws("/ws/flows", flowsLive::configure);
            config.routes.exception(FlowRoutes.BeyondRetentionException.class, (e, ctx) ->
                    send(ctx, 410, error("beyond_retention", e.getMessage(), null)));
            config.routes.exception(BadParameterException.class, (e, ctx) ->
                    send(ctx, 400, error("bad_parameter", e.getMessage(), e.parameter())));
            config.routes.exception(TopologyQueries.StoreUnavailableException.class, (e, ctx) ->
                    send(ctx, 503, error("not_ready", e.getMessage(), null)));
            config.routes.exception(FlowSearch.TopicUnavailableException.class, (e, ctx) ->
                    send(ctx, 503, error("kafka_unavailable", e.getMessage(), null)));
            config.routes.exception(BusyException.class, (e, ctx) -> {
                ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                send(ctx, 503, error("busy", e.getMessage(), null));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                send(ctx, 500, error("internal", "the request failed; see the server log", null));
            });
            config.routes.error(404, ctx -> send(ctx, 404, error("not_found", "no such path: " + ctx.path(), null)));
        }).start();
        ticks.scheduleAtFixedRate(() -> {
            live.resetInboundCounts();
            flowsLive.resetInboundCounts();
        }, 1, 1, TimeUnit.SECONDS);
        outputs = new TopicFollower(kafka, List.of(processor.config().topics().edgeUpdates(),
                processor.config().topics().linkChanges()), this::onOutputRecord);
        outputs.start("live-feed");
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

    private Map<String, Object> kafkaProperties() {
        Map<String, Object> props = new HashMap<>(processor.config().kafkaProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, processor.config().bootstrapServers());
        return props;
    }

    /** An edge update or link change from the processor's output topics, to the live clients. */
    private void onOutputRecord(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode value;
        try {
            value = json.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        boolean edge = record.topic().equals(processor.config().topics().edgeUpdates());
        feed.publish(edge ? FeedMessages.edge(value) : FeedMessages.link(value));
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

    /** The search behind GET /api/v1/flows, for tests that need its readers taken. */
    public FlowSearch flowSearch() {
        return flows.search();
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
        body.put("streams", processor.state().name());
        send(ctx, 200, body);
    }

    private void ready(Context ctx) {
        boolean ready = processor.running();
        send(ctx, ready ? 200 : 503, Map.of("status", ready ? "ready" : "starting", "streams", processor.state().name()));
    }

    /** What a new live client sees first: the edges of the snapshot range and every link state. */
    private List<FeedUpdate> snapshot() {
        List<FeedUpdate> updates = new ArrayList<>();
        if (!processor.running()) {
            return updates;
        }
        Instant now = clock.instant();
        // The whole cluster's state, as a REST client would get it: a new client sees everything at once, and is
        // told how complete that was.
        Answer<List<EdgeStats>> edges = cluster.topology(now.minus(settings.snapshotRange()), now);
        for (EdgeStats edge : edges.value()) {
            updates.add(FeedMessages.edge(json.valueToTree(TopologyView.edge(edge))));
        }
        Answer<List<LinkState>> links = cluster.links();
        for (Object link : (List<?>) TopologyView.links(links.value()).get("links")) {
            updates.add(FeedMessages.link(json.valueToTree(link)));
        }
        List<Answer.Missing> missing = new ArrayList<>(edges.missing());
        missing.addAll(links.missing());
        updates.add(FeedMessages.snapshotStatus(!missing.isEmpty(), missing, now.toString(), edges.value().size(),
                links.value().size()));
        return updates;
    }


    private static Map<String, Object> error(String code, String message, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return body;
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer that cannot be written as JSON", e);
        }
    }

    private static void sendJson(Context ctx, String body) {
        ctx.status(200).contentType("application/json").result(body);
    }

    private void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.status(500).contentType("application/json").result("{\"error\":\"internal\"}");
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
