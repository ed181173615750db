package io.hubbletopology.deploy.roles;

import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.cluster.AdvertisedAddress;
import io.hubbletopology.api.observer.ObserverServer;
import io.hubbletopology.api.observer.ObserverSettings;
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
    private final ObserverSettings observerSettings;
    private TopologyProcessor processor;
    private ApiServer server;
    private ObserverServer observer;

    /** With Hubble's Observer API on any free port: for tests and embedding, where 4245 may be taken. */
    public ProcessorRole(Supplier<ProcessorConfig> config, ApiSettings api) {
        this(config, api, ObserverSettings.DEFAULT.withPort(0));
    }

    public ProcessorRole(Supplier<ProcessorConfig> config, ApiSettings api, ObserverSettings observer) {
        this.config = config;
        this.api = api;
        this.observerSettings = observer;
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
            observer = ObserverServer.besideApi(observerSettings, api, server, processor.queryService().flowHistory());
            observer.start();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    public int apiPort() {
        return server.port();
    }

    /** The port of Hubble's Observer API. */
    public int observerPort() {
        return observer.port();
    }

    public TopologyProcessor processor() {
        return processor;
    }

    @Override
    public List<String> readyLines() {
        return List.of("Processor running; API on http://localhost:" + apiPort() + "/topology");
    }

    @Override
    public void stop() {
        Role.close(observer, server, processor);
    }
}
