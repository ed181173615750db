package io.hubbletopology.deploy.roles;

import java.util.function.Supplier;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;

/** The Kafka Streams processor with the query API in the same JVM. */
public final class ProcessorRole implements Role {

    private final Supplier<ProcessorConfig> config;
    private final ApiSettings api;
    private TopologyProcessor processor;
    private ApiServer server;

    public ProcessorRole(Supplier<ProcessorConfig> config, ApiSettings api) {
        this.config = config;
        this.api = api;
    }

    @Override
    public String name() {
        return "processor";
    }

    @Override
    public void start() {
        processor = new TopologyProcessor(config.get());
        processor.start();
        server = new ApiServer(api, processor);
        server.start();
    }

    public int apiPort() {
        return server.port();
    }

    public TopologyProcessor processor() {
        return processor;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (processor != null) {
            processor.close();
        }
    }
}
