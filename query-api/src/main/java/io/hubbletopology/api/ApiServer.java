package io.hubbletopology.api;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.processor.TopologyQueries;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * The HTTP face of the processor: the old agent's {@code /topology}, {@code /links} and {@code /health},
 * probes, and the versioned API under {@code /api/v1}.
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

    private final ApiSettings settings;
    private final TopologyProcessor processor;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.systemUTC();
    private Javalin app;

    public ApiServer(ApiSettings settings, TopologyProcessor processor) {
        this.settings = settings;
        this.processor = processor;
    }

    public synchronized void start() {
        app = Javalin.create(config -> {
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            config.routes.get("/health", this::health);
            config.routes.get("/ready", this::ready);
            config.routes.get("/topology", this::topology);
            config.routes.get("/api/v1/topology", this::topology);
            config.routes.get("/links", this::links);
            config.routes.get("/api/v1/links", this::links);
            config.routes.exception(BadParameterException.class, (e, ctx) ->
                    send(ctx, 400, error("bad_parameter", e.getMessage(), e.parameter())));
            config.routes.exception(TopologyQueries.StoreUnavailableException.class, (e, ctx) ->
                    send(ctx, 503, error("not_ready", e.getMessage(), null)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                send(ctx, 500, error("internal", "the request failed; see the server log", null));
            });
            config.routes.error(404, ctx -> send(ctx, 404, error("not_found", "no such path: " + ctx.path(), null)));
        }).start();
        log.info("Query API on http://{}:{}", settings.host(), app.port());
    }

    /** The port the API listens on (useful when it was started on port 0). */
    public int port() {
        return app.port();
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

    private void topology(Context ctx) {
        TimeRange range = TimeRange.parse(ctx.queryParam("last"), ctx.queryParam("from"), ctx.queryParam("to"),
                DEFAULT_RANGE, clock);
        requireRunning();
        send(ctx, 200, TopologyView.topology(processor.queries().topology(range.from(), range.to()), range));
    }

    private void links(Context ctx) {
        requireRunning();
        send(ctx, 200, TopologyView.links(processor.queries().links()));
    }

    private void requireRunning() {
        if (!processor.running()) {
            throw new TopologyQueries.StoreUnavailableException("*", "Kafka Streams is " + processor.state());
        }
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

    private void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.status(500).contentType("application/json").result("{\"error\":\"internal\"}");
        }
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
        }
    }
}
