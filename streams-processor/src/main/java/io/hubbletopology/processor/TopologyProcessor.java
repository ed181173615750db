package io.hubbletopology.processor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.processor.internal.TopologyStreams;
import io.hubbletopology.topics.TopicProvisioner;

/**
 * The processor role: runs the Kafka Streams application that materialises the topology.
 *
 * <pre>{@code
 * TopologyProcessor processor = new TopologyProcessor(ProcessorConfig.defaults("127.0.0.1:9092", stateDir));
 * processor.start();
 * processor.queries().links();
 * processor.close();
 * }</pre>
 */
public final class TopologyProcessor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopologyProcessor.class);

    private final ProcessorConfig config;
    private KafkaStreams streams;
    private TopologyQueries queries;

    public TopologyProcessor(ProcessorConfig config) {
        this.config = config;
    }

    /** Creates missing input topics, then starts the stream threads; returns without waiting for RUNNING. */
    public synchronized void start() {
        provisionTopics();
        streams = new KafkaStreams(TopologyStreams.build(config), streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            log.error("A stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
        queries = new TopologyQueries(streams);
        streams.start();
        log.info("Processor {} started against Kafka {}", config.applicationId(), config.bootstrapServers());
    }

    private void provisionTopics() {
        Map<String, Object> adminProps = new HashMap<>(config.kafkaProperties());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.partitions(), config.replicationFactor());
            provisioner.ensure(List.of(
                    provisioner.stream(config.topics().flows(), config.windowRetention().toMillis()),
                    provisioner.compacted(config.topics().links())), 30_000);
        }
    }

    Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put("processing.exception.handler.global.enabled", true);
        if (config.applicationServer() != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.applicationServer());
        }
        return p;
    }

    /** The query facade over this instance's stores. */
    public TopologyQueries queries() {
        return queries;
    }

    /** True once Kafka Streams is RUNNING: every task assigned and restored. */
    public boolean running() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    public ProcessorConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            streams.close(java.time.Duration.ofSeconds(10));
            log.info("Processor {} stopped", config.applicationId());
        }
    }
}
