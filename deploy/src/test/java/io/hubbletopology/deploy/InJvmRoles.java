package io.hubbletopology.deploy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.topics.TopicNames;

/**
 * What the roles a test runs inside its own JVM are given: the shared broker ({@link SharedKafka}) and topics of
 * their own, prefixed with {@code name} and a dot.
 */
public record InJvmRoles(String name, String kafka, TopicNames topics) {

    public static InJvmRoles on(String name) {
        return new InJvmRoles(name, SharedKafka.bootstrapServers(), TopicNames.prefixed(name + "."));
    }

    /**
     * A processor with application id {@code name}: it commits every 200 ms, takes flows up to 5 minutes late and
     * keeps an hour of windows, and creates its topics with one replica (the shared broker is one node).
     */
    public ProcessorConfig processorConfig(Path stateDir) {
        return ProcessorConfig.defaults(kafka, name, stateDir, topics,
                Map.of("processor.commit_interval", "200ms", "processor.window.grace", "5m",
                        "processor.window.retention", "1h", "kafka.replication_factor", "1"));
    }

    /** An agent that follows the Hubble server on loopback {@code hubblePort}, its health port any free one. */
    public IngestConfig ingestConfig(String nodeName, int hubblePort) {
        Map<String, String> settings = new HashMap<>(KafkaSettings.topicOverrides(topics));
        settings.putAll(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka, IngestConfig.NODE_NAME.name(), nodeName,
                IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubblePort, IngestConfig.HEALTH_PORT.name(), "0",
                IngestConfig.FLOWS_RETENTION.name(), "1h"));
        return IngestConfig.of(settings);
    }
}
