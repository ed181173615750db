package io.hubbletopology.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.hubbletopology.topics.TopicNames;

/**
 * Everything the processor needs, parsed and validated once at start.
 *
 * @param bootstrapServers   Kafka's bootstrap servers
 * @param kafkaProperties    extra Kafka client properties (SASL, SSL, ...), passed through as they are
 * @param applicationId      the Kafka Streams application id: instances with the same id share the work
 * @param applicationServer  host:port where other instances reach this one's API (Streams' application.server);
 *                           null when running alone
 * @param stateDir           where the state stores live
 * @param threads            stream threads
 * @param standbyReplicas    warm copies of each store on other instances
 * @param commitInterval     how often progress is committed (and caches flushed)
 * @param exactlyOnce        exactly_once_v2 processing instead of at_least_once
 * @param windowSize         the tumbling window of edge figures
 * @param windowGrace        how late a flow may arrive and still count in its window
 * @param windowRetention    how long windows are kept for queries
 * @param topics             topic names
 * @param partitions         partitions of topics the processor creates
 * @param replicationFactor  replication factor of topics the processor creates
 */
public record ProcessorConfig(String bootstrapServers, Map<String, Object> kafkaProperties, String applicationId,
                              String applicationServer, Path stateDir, int threads, int standbyReplicas,
                              Duration commitInterval, boolean exactlyOnce, Duration windowSize, Duration windowGrace,
                              Duration windowRetention, TopicNames topics, int partitions, short replicationFactor) {

    public static final String DEFAULT_APPLICATION_ID = "hubble-topology";

    public ProcessorConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topics, "topics");
        if (windowRetention.compareTo(windowSize.plus(windowGrace)) < 0) {
            throw new IllegalArgumentException("window retention (" + windowRetention
                    + ") must be at least window size plus grace (" + windowSize.plus(windowGrace) + ")");
        }
    }

    /** Defaults for one local instance against the given Kafka. */
    public static ProcessorConfig defaults(String bootstrapServers, Path stateDir) {
        return new ProcessorConfig(bootstrapServers, Map.of(), DEFAULT_APPLICATION_ID, null, stateDir, 1, 0,
                Duration.ofSeconds(1), false, Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofHours(24),
                TopicNames.defaults(), 3, (short) 1);
    }

    public ProcessorConfig withApplicationServer(String hostPort) {
        return new ProcessorConfig(bootstrapServers, kafkaProperties, applicationId, hostPort, stateDir, threads,
                standbyReplicas, commitInterval, exactlyOnce, windowSize, windowGrace, windowRetention, topics,
                partitions, replicationFactor);
    }
}
