package io.hubbletopology.ingest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.ingest.health.HealthServer;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.hubble.HubbleFlowSource;
import io.hubbletopology.ingest.publish.FlowPublisher;
import io.hubbletopology.ingest.publish.TopicLeaders;
import io.hubbletopology.ingest.replay.ReplayResult;
import io.hubbletopology.ingest.replay.ReplaySource;
import io.hubbletopology.ingest.sysfs.SysfsLinkSource;
import io.hubbletopology.topics.TopicProvisioner;
import io.hubbletopology.threads.DaemonThreads;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The per-node agent: reads Hubble and/or sysfs (or replays a file) and publishes to Kafka, with health and
 * metrics on a small HTTP port.
 *
 * <pre>{@code
 * IngestAgent agent = new IngestAgent(IngestConfig.of(Map.of("kafka.bootstrap_servers", "127.0.0.1:9092")));
 * agent.start();   // returns at once; sources connect and retry in the background
 * ...
 * agent.close();   // stops reading, sends what was read, closes
 * }</pre>
 */
public final class IngestAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestAgent.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final IngestConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final IngestMetrics metrics = new IngestMetrics(registry);
    private final FlowPublisher publisher;
    private volatile HubbleFlowSource hubble;
    private volatile SysfsLinkSource links;
    private volatile ReplaySource replay;
    private HealthServer health;
    private final CompletableFuture<ReplayResult> replayResult = new CompletableFuture<>();
    private Thread provisioning;
    private volatile boolean topicsReady;

    public IngestAgent(IngestConfig config) {
        this.config = config;
        this.publisher = FlowPublisher.gated(config.producerProperties(), config.topics(), metrics);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * Starts the sources and the health port and, in the background, creates missing topics. Until the topics
     * are ready the publisher holds the sources back (backpressure, as when Kafka is slow): a Kafka that is
     * down at start costs no flow, within what Hubble's ring and gRPC flow control hold.
     */
    public synchronized void start() {
        provisioning = DaemonThreads.start("ingest-topics", this::provision);
        startSources();
        if (config.healthPort() >= 0) {
            health = HealthServer.start(config.healthHost(), config.healthPort(), registry, readinessChecks());
        }
        log.info("Ingest agent on node {} started: {}, Kafka {}", config.nodeName(), describeSources(), config.bootstrapServers());
    }

    private void startSources() {
        if (config.replay()) {
            replay = new ReplaySource(config.replayFile().equals("-") ? "stdin" : config.replayFile(),
                    ReplaySource.open(config.replayFile()), config.hubble().whitelist(), config.hubble().blacklist(),
                    config.nodeName(), publisher::publish, publisher::publish, metrics);
            replay.done().whenComplete((result, error) -> {
                publisher.flush();
                if (error == null) {
                    replayResult.complete(result);
                } else {
                    replayResult.completeExceptionally(error);
                }
            });
            replay.start();
            return;
        }
        if (config.mode().hubble()) {
            hubble = new HubbleFlowSource(config.hubble(), config.nodeName(), publisher::publish, publisher::publish, metrics);
            hubble.start();
            metrics.bindHubbleConnected(() -> hubble != null && hubble.connected());
        }
        if (config.mode().sysfs()) {
            links = new SysfsLinkSource(config.sysfsRoot(), config.nodeName(), config.pollInterval(),
                    config.snapshotInterval(), publisher::publish, metrics.linkChanges()::increment);
            links.start();
        }
    }

    private String describeSources() {
        if (config.replay()) {
            return "replaying " + config.replayFile();
        }
        return "mode " + config.mode().label() + (config.mode().hubble() ? ", Hubble " + config.hubble().target().display()
                + " (" + config.hubble().tls().describe() + ")" : "") + (config.mode().sysfs() ? ", sysfs " + config.sysfsRoot() : "");
    }

    private Map<String, BooleanSupplier> readinessChecks() {
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("kafka_topics", () -> topicsReady);
        if (config.replay()) {
            return checks;
        }
        if (config.mode().hubble()) {
            checks.put("hubble", () -> hubble != null && hubble.connected());
        }
        if (config.mode().sysfs()) {
            checks.put("sysfs", () -> links != null && links.readable());
        }
        return checks;
    }

    /** Creates missing topics, retrying while Kafka is unreachable, then lets the publisher send. */
    private void provision() {
        try (Admin admin = Admin.create(config.clientProperties())) {
            TopicProvisioner provisioner = config.kafka().provisioner(admin);
            List<NewTopic> topics = List.of(
                    provisioner.stream(config.topics().flows(), config.flowsRetention().toMillis()),
                    provisioner.compacted(config.topics().links()),
                    provisioner.stream(config.topics().lostEvents(), config.flowsRetention().toMillis()));
            List<String> names = topics.stream().map(NewTopic::name).toList();
            long delayMs = 500;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    provisioner.ensure(topics, 10_000);
                    if (TopicLeaders.await(admin, names, 10_000)) {
                        break;
                    }
                    log.warn("Topics {} have no leader yet; asking again", names);
                } catch (TopicProvisioner.TopicProvisioningException e) {
                    log.warn("Kafka at {} not ready ({}); retrying in {} ms", config.bootstrapServers(), e.getMessage(), delayMs);
                    Thread.sleep(delayMs);
                    delayMs = Math.min(delayMs * 2, 30_000);
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            topicsReady = true;
            publisher.open();
            log.info("Kafka topics {} ready at {}", names, config.bootstrapServers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Cannot create topics at {}: {}", config.bootstrapServers(), e.toString());
        }
    }

    public boolean topicsReady() {
        return topicsReady;
    }

    /**
     * Completes when a replay has read its whole input and Kafka has acknowledged what it sent; never for live
     * sources.
     */
    public CompletableFuture<ReplayResult> replayDone() {
        return replayResult;
    }

    public FlowPublisher publisher() {
        return publisher;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    /** The Hubble source, or null when the agent does not follow Hubble. */
    public HubbleFlowSource hubble() {
        return hubble;
    }

    /** The port of the health and metrics server, or -1 when it is off. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    public IngestConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (provisioning != null) {
            provisioning.interrupt();
        }
        if (hubble != null) {
            hubble.close();
        }
        if (links != null) {
            links.close();
        }
        publisher.close(CLOSE_TIMEOUT);
        if (health != null) {
            health.close();
        }
        log.info("Ingest agent on node {} stopped: {} flows, {} link states, {} lost-events reports published; {} dropped",
                config.nodeName(), publisher.flowsPublished(), publisher.linksPublished(), publisher.lostReportsPublished(),
                (long) metrics.dropped().count());
    }
}
