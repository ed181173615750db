package io.hubbletopology.ingest.health;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.hubbletopology.probes.ProbePaths;
import io.hubbletopology.threads.DaemonThreads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The agent's (and the sink's) small HTTP port, for the kubelet and Prometheus: {@code /health} (alive: the
 * process answers), {@code /ready} (ready: every named check holds, e.g. Hubble connected and Kafka topics ready;
 * 503 with the failing checks otherwise) and {@code /metrics} (Prometheus text format). The probe paths are the
 * processor's, so every role is probed alike; {@code /healthz} and {@code /readyz}, this port's first names, stay
 * as aliases for the probes and scripts written against them.
 *
 * <pre>{@code
 * HealthServer health = HealthServer.start("0.0.0.0", 8081, registry, Map.of("kafka", agent::topicsReady));
 * }</pre>
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /** @param checks readiness checks by name, all of which must hold for /ready to answer 200 */
    public static HealthServer start(String host, int port, PrometheusMeterRegistry registry, Map<String, BooleanSupplier> checks) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " for health and metrics: " + e.getMessage(), e);
        }
        Map<String, BooleanSupplier> named = new LinkedHashMap<>(checks);
        HttpHandler alive = exchange -> respond(exchange, 200, "text/plain", "ok\n");
        HttpHandler ready = exchange -> {
            StringBuilder body = new StringBuilder("{");
            boolean allHold = true;
            for (var check : named.entrySet()) {
                boolean ok = check.getValue().getAsBoolean();
                allHold &= ok;
                body.append(body.length() == 1 ? "" : ",").append('"').append(check.getKey()).append("\":").append(ok);
            }
            body.append("}\n");
            respond(exchange, allHold ? 200 : 503, "application/json", body.toString());
        };
        for (String path : ProbePaths.LIVENESS) {
            server.createContext(path, alive);
        }
        for (String path : ProbePaths.READINESS) {
            server.createContext(path, ready);
        }
        server.createContext("/metrics", exchange ->
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.setExecutor(Executors.newSingleThreadExecutor(DaemonThreads.named("ingest-health")));
        server.start();
        log.info("Health and metrics on http://{}:{}/ (health, ready, metrics; healthz, readyz as aliases)", host, server.getAddress().getPort());
        return new HealthServer(server);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
