package io.hubbletopology.deploy.roles;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.cluster.AdvertisedAddress;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;

/**
 * The Kafka Streams processor with the query API in the same JVM. The API listens first, so that its port is
 * known; then the processor starts and advertises where the API is to the other instances (the configured
 * {@code application.server}, else an {@link AdvertisedAddress}): every instance can be asked for its part, so
 * every instance answers for the whole cluster.
 */
public final class ProcessorRole implements Role {

    private static final Logger log = LoggerFactory.getLogger(ProcessorRole.class);

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
        ProcessorConfig settings = config.get();
        processor = new TopologyProcessor(settings);
        server = new ApiServer(api, processor.queryService());
        try {
            server.start();
            String advertised = settings.applicationServer();
            if (advertised == null) {
                AdvertisedAddress derived = AdvertisedAddress.of(api.host(), server.port(), settings.bootstrapServers());
                advertised = derived.hostPort();
                log.info("Other instances reach this one at {} ({}; --application-server sets another)", advertised, derived.why());
            }
            processor.start(advertised);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
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
