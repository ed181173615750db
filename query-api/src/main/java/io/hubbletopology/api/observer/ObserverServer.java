package io.hubbletopology.api.observer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.access.AcceptedTokens;
import io.hubbletopology.api.flows.FlowQueryBounds;
import io.hubbletopology.api.flows.FlowSearch;
import io.hubbletopology.processor.query.FlowHistory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The processor's Hubble Observer endpoint: {@code hubble observe --server HOST:4245 --since 2h} and hubble-ui
 * (its backend pointed here instead of at Relay) answered from the flows topic's whole retention.
 *
 * <pre>{@code
 * ObserverServer observer = new ObserverServer(ObserverSettings.DEFAULT, "0.0.0.0", processor.queryService().flowHistory(),
 *         api.flowSearch(), bounds, new AcceptedTokens(tokens, null), api.meters(), Clock.systemUTC());
 * observer.start();
 * }</pre>
 */
public final class ObserverServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ObserverServer.class);

    private final ObserverSettings settings;
    private final String host;
    private final FlowCensus census;
    private final ObserverService service;
    private final AcceptedTokens tokens;
    private Server server;

    public ObserverServer(ObserverSettings settings, String host, FlowHistory flows, FlowSearch history,
                          FlowQueryBounds bounds, AcceptedTokens tokens, MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.host = host;
        this.tokens = tokens;
        this.census = new FlowCensus(flows.consumerProperties(), flows.topic(), clock);
        this.service = new ObserverService(flows, history, bounds, new CensusAnswers(census, settings.keystore() != null, clock),
                settings.stallTimeout(), new ObserverMetrics(meters), clock);
    }

    /**
     * The Observer as the processor role serves it beside {@code api}: the API's host, flow bounds, tokens and
     * {@code /metrics}, over the processor's flow history.
     */
    public static ObserverServer besideApi(ObserverSettings settings, ApiSettings apiSettings,
                                           ApiServer api, FlowHistory flows) {
        return new ObserverServer(settings, apiSettings.host(), flows, api.flowSearch(), apiSettings.flowBounds(),
                new AcceptedTokens(apiSettings.tokens(), apiSettings.tokensFile()), api.meters(), Clock.systemUTC());
    }

    public void start() {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, settings.port()))
                .addService(ServerInterceptors.intercept(service, new BearerTokens(tokens)));
        if (settings.keystore() != null) {
            builder.sslContext(tls());
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("the Observer API cannot listen on " + host + ":" + settings.port()
                    + " (observer.port, --observer-port, OBSERVER_PORT)", e);
        }
        tokens.watch();
        census.start();
        log.info("Hubble Observer API on {}:{} ({}{})", host, server.getPort(), settings.keystore() == null ? "plaintext" : "TLS",
                settings.clientCa() == null ? "" : ", client certificates required");
    }

    private io.grpc.netty.shaded.io.netty.handler.ssl.SslContext tls() {
        try {
            char[] password = settings.keystorePassword().toCharArray();
            // Finds out whether the file is PKCS12 or JKS by itself.
            KeyStore store = KeyStore.getInstance(settings.keystore().toFile(), password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SslContextBuilder ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(keys));
            if (settings.clientCa() != null) {
                ssl.trustManager(settings.clientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return ssl.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new io.hubbletopology.config.ConfigException(ObserverSettings.KEYSTORE.name(),
                    ObserverSettings.KEYSTORE.name() + " (" + settings.keystore() + ") cannot be used: " + e.getMessage());
        }
    }

    /** The port it listens on (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    /** The methods served, for the docs and tests. */
    public static List<String> methods() {
        return List.of("GetFlows", "ServerStatus", "GetNodes", "GetNamespaces");
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        service.close();
        census.close();
        tokens.close();
    }
}
