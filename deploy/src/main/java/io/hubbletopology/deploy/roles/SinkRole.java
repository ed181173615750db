package io.hubbletopology.deploy.roles;

import java.util.List;
import java.util.Map;

import io.hubbletopology.ingest.health.HealthServer;
import io.hubbletopology.sink.SinkConfig;
import io.hubbletopology.sink.TsdbSink;
import io.hubbletopology.sink.health.SinkMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The TSDB sink, with its health and metrics port (the ingest agent's kind: /health, /ready, /metrics). */
public final class SinkRole implements Role {

    private final SinkConfig config;
    private TsdbSink sink;
    private HealthServer health;

    public SinkRole(SinkConfig config) {
        this.config = config;
    }

    @Override
    public void start() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        sink = new TsdbSink(config, new SinkMetrics(registry));
        sink.start();
        if (config.healthPort() >= 0) {
            health = HealthServer.start(config.healthHost(), config.healthPort(), registry, Map.of("sink", sink::ready));
        }
    }

    @Override
    public List<String> readyLines() {
        return List.of("Sink running; writing to " + config.target().url());
    }

    @Override
    public void stop() {
        Role.close(health, sink);
    }
}
