package io.hubbletopology.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.processor.internal.DeadLetters;
import io.hubbletopology.processor.internal.LivePublisher;
import io.hubbletopology.processor.internal.TopologyStreams;
import io.hubbletopology.topics.TopicNames;
import io.hubbletopology.topics.ReplicationPlan;
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
    /** Long enough for someone to notice and look; the dead-letter topic is for reading, not for keeping. */
    private static final java.time.Duration DEAD_LETTER_RETENTION = java.time.Duration.ofDays(7);
    /** The live topic is read from its end: a few minutes are enough for a follower that was slow for a moment. */
    private static final java.time.Duration LIVE_RETENTION = java.time.Duration.ofMinutes(2);
    /** How long the group waits for a silent instance before its partitions move on. */
    private static final int CRASHED_INSTANCE_TIMEOUT_MS = 10_000;

    private volatile ProcessorConfig config;
    private final ProcessingCounters counters = new ProcessingCounters();
    private final PartitionCounts partitionCounts = new PartitionCounts(this::admin);
    private final TopologyQueries queries = new TopologyQueries(this, partitionCounts);
    private final TopologyQueryService queryService = new TopologyQueryService(this);
    private final List<MeterRegistry> registries = new ArrayList<>();
    private volatile KafkaStreams streams;
    private LivePublisher live;

    public TopologyProcessor(ProcessorConfig config) {
        this.config = config;
    }

    /**
     * Creates the missing topics (inputs, outputs, dead letters), then starts the stream threads; returns without
     * waiting for RUNNING. Other instances reach this one at the configured {@code application.server}.
     */
    public synchronized void start() {
        start(config.applicationServer());
    }

    /**
     * Starts as {@link #start()} does, telling the other instances to reach this one at {@code applicationServer}
     * (host:port of its API): what a role passes when the address is only known once the API listens.
     */
    public synchronized void start(String applicationServer) {
        if (streams != null) {
            throw new IllegalStateException("the processor has started already");
        }
        config = config.withApplicationServer(applicationServer);
        ReplicationPlan replication = provisionTopics();
        Map<String, Object> producerProps = new HashMap<>(config.kafkaProperties());
        producerProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        live = new LivePublisher(producerProps, config.topics().live());
        KafkaStreams created = new KafkaStreams(TopologyStreams.build(config, counters, live), streamsProperties(config, replication));
        created.setUncaughtExceptionHandler(e -> {
            log.error("A stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
        streams = created;
        registries.forEach(this::bind);
        created.start();
        log.info("Processor {} started against Kafka {}; other instances reach it at {}", config.applicationId(),
                config.bootstrapServers(), applicationServer == null ? "no address (application.server unset)" : applicationServer);
    }

    private Admin admin() {
        Map<String, Object> adminProps = new HashMap<>(config.kafkaProperties());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return Admin.create(adminProps);
    }

    /** Creates the missing topics; returns the replication they got, for Kafka Streams' internal topics too. */
    private ReplicationPlan provisionTopics() {
        try (Admin admin = admin()) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.partitions(), config.replicationFactor());
            TopicNames topics = config.topics();
            provisioner.ensure(List.of(
                    provisioner.stream(topics.flows(), config.windowRetention().toMillis()),
                    provisioner.compacted(topics.links()),
                    provisioner.stream(topics.deadLetter(), DEAD_LETTER_RETENTION.toMillis()),
                    // One record per edge and window: compaction keeps a window's final figures, retention
                    // drops windows the stores no longer hold either.
                    provisioner.topic(topics.edgeUpdates(), Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(config.windowRetention().toMillis()))),
                    provisioner.compacted(topics.linkChanges()),
                    provisioner.compacted(topics.workloadChanges()),
                    // Provisional states, superseded within an interval: kept minutes, in segments of a minute.
                    provisioner.topic(topics.live(), Map.of(
                            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(LIVE_RETENTION.toMillis()),
                            TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(LIVE_RETENTION.toMillis() / 2))),
                    workloadSightingsRepartition(provisioner)), 30_000);
            return provisioner.plan(30_000);
        }
    }

    /**
     * The one internal topic that the stream threads subscribe to: created here, before they start, because Kafka
     * Streams creates it only at the first rebalance, after its consumer has asked for it (a warning per metadata
     * request). Settings as Kafka Streams gives its repartition topics: delete policy, kept until it purges them.
     */
    private NewTopic workloadSightingsRepartition(TopicProvisioner provisioner) {
        return provisioner.topic(config.applicationId() + "-" + TopologyStreams.WORKLOAD_SIGHTINGS + "-repartition", Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(50 * 1024 * 1024),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"));
    }

    /** The Kafka Streams settings of a configuration (also what tests hand to TopologyTestDriver). */
    public static Properties streamsProperties(ProcessorConfig config) {
        return streamsProperties(config, ReplicationPlan.ofFactor((short) Math.max(1, config.replicationFactor())));
    }

    /** The Kafka Streams settings, its internal topics (changelogs, repartitions) replicated as {@code internalTopics}. */
    public static Properties streamsProperties(ProcessorConfig config, ReplicationPlan internalTopics) {
        Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        // An instance that crashed keeps its partitions until its session times out: with Kafka's 45 s default a
        // restarted processor could not be ready within 30 s. kafka.properties.session.timeout.ms still wins.
        if (config.kafkaProperties().keySet().stream().noneMatch(k -> k.endsWith(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))) {
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, CRASHED_INSTANCE_TIMEOUT_MS);
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, CRASHED_INSTANCE_TIMEOUT_MS / 4);
        }
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        // Every task reads one partition (flows, workload sightings, links: no joins or merges), so there is never
        // another partition to wait for before processing in time order; with waiting disabled Kafka Streams also
        // skips the check it otherwise makes before every record. A topology that joins topics must drop this.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) internalTopics.replicationFactor());
        p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), internalTopics.minInsyncReplicas());
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().deadLetter());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // The partition assignor builds its own StreamsConfig from the main consumer's settings, which carry only
        // consumer keys; without this copy it warns that the handler is not enabled for the GlobalThread.
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        if (config.applicationServer() != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.applicationServer());
        }
        return p;
    }

    /**
     * Publishes Kafka Streams' own metrics (threads, tasks, stores, clients) and the processor's counts of late
     * and dead-lettered flows to a registry, now or once the processor starts.
     */
    public synchronized void bindMetrics(MeterRegistry registry) {
        if (streams == null) {
            registries.add(registry);
        } else {
            bind(registry);
        }
    }

    private void bind(MeterRegistry registry) {
        new KafkaStreamsMetrics(streams).bindTo(registry);
        Gauge.builder("hubble_topology_late_flows", this, p -> p.queries().lateFlows())
                .description("Flows left out of every figure because they came after their window's grace period").register(registry);
        Gauge.builder("hubble_topology_dead_lettered_records", this, p -> p.queries().droppedRecords())
                .description("Records sent to the dead-letter topic (undecodable or unusable)").register(registry);
    }

    /** The query facade over this instance's stores (it answers "not ready" until the processor runs). */
    public TopologyQueries queries() {
        return queries;
    }

    /** The processor as the query API asks it: whole-cluster answers, the output feed, the flow history. */
    public TopologyQueryService queryService() {
        return queryService;
    }

    KafkaStreams streams() {
        return streams;
    }

    ProcessingCounters counters() {
        return counters;
    }

    /** True once Kafka Streams is RUNNING: every task assigned and restored. */
    public boolean running() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** The configuration, with the {@code application.server} it was started with. */
    public ProcessorConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        partitionCounts.close();
        if (streams != null) {
            streams.close(java.time.Duration.ofSeconds(10));
            log.info("Processor {} stopped", config.applicationId());
        }
        if (live != null) {
            live.close();
        }
    }
}
