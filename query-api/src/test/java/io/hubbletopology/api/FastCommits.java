package io.hubbletopology.api;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.topics.TopicNames;

/**
 * The processor of the API's integration tests: commits every 100 ms so that what a test sends is soon in the
 * answers, keeps windows open for 5 minutes of lateness (test flows carry the wall clock, sent in bursts), and
 * one replica on the one shared broker; each test adds what it needs (retention, partitions).
 *
 * <pre>{@code
 * RunningApi.start(FastCommits.config(kafka, "flows-it", dir.resolve("state"), TOPICS,
 *         Map.of("processor.window.retention", "2d")), new ApiSettings("127.0.0.1", 0, "hubble"));
 * }</pre>
 */
public final class FastCommits {

    private FastCommits() {
    }

    public static ProcessorConfig config(String kafka, String applicationId, Path stateDir, TopicNames topics,
                                         Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("processor.commit_interval", "100ms",
                "processor.window.grace", "5m", "kafka.replication_factor", "1"));
        settings.putAll(more);
        return ProcessorConfig.defaults(kafka, applicationId, stateDir, topics, settings);
    }

    /** The common case: on the shared test broker, an hour of windows over two partitions. */
    public static ProcessorConfig onTwoPartitions(String applicationId, Path stateDir, TopicNames topics) {
        return config(SharedKafka.bootstrapServers(), applicationId, stateDir, topics,
                Map.of("processor.window.retention", "1h", "kafka.partitions", "2"));
    }
}
