package io.hubbletopology.broker.testcontainers;

import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The test broker as a container of the official {@code apache/kafka} image (Testcontainers' Kafka module),
 * for {@code -Dkafka.testcontainers=true}; compiled only then (the {@code testcontainers} profile), so the
 * default build needs neither Docker nor the Testcontainers artifacts. Without a Docker engine every test
 * that asks for the broker is skipped, not failed.
 */
public final class ContainerKafka {

    /** The image; the build passes {@code apache/kafka:<kafka.version>}. */
    private static final String IMAGE = System.getProperty("kafka.testcontainers.image", "apache/kafka:latest");

    private static KafkaContainer container;

    private ContainerKafka() {
    }

    /** Starts the container on first use (stopped by Testcontainers' reaper when the JVM exits). */
    public static synchronized String bootstrapServers() {
        if (container == null) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new TestAbortedException("-Dkafka.testcontainers=true but no Docker engine here: skipped");
            }
            KafkaContainer started = new KafkaContainer(DockerImageName.parse(IMAGE));
            started.start();
            container = started;
        }
        return container.getBootstrapServers();
    }
}
