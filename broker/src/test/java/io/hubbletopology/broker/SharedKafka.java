package io.hubbletopology.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One real Kafka broker for the whole test JVM, started on first use and stopped when the JVM exits.
 * Tests share it and keep apart by using topic names and application ids of their own. It is an
 * {@link EmbeddedKafkaBroker}; with {@code -Dkafka.testcontainers=true} a container of the official
 * {@code apache/kafka} image instead (tests skipped where no Docker engine runs).
 *
 * <pre>{@code
 * String bootstrap = SharedKafka.bootstrapServers();
 * }</pre>
 */
public final class SharedKafka {

    /** The switch to a containerised broker; also activates the build's {@code testcontainers} profile. */
    public static final String TESTCONTAINERS = "kafka.testcontainers";

    private static EmbeddedKafkaBroker broker;

    private SharedKafka() {
    }

    /**
     * Producer settings for tests that send to topics created a moment ago, {@code settings} on top. A new
     * partition can answer the first batch NOT_LEADER even after its leader shows in the metadata; an idempotent
     * producer with several batches in flight then retries that batch after later ones were written and gets
     * OUT_OF_ORDER_SEQUENCE until the records expire (seen with Kafka 4.3 in CI). With one request in flight per
     * connection the batch is retried before anything later is sent.
     */
    public static Map<String, Object> producerConfig(String bootstrap, Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("bootstrap.servers", bootstrap);
        config.put("max.in.flight.requests.per.connection", 1);
        return config;
    }

    public static synchronized String bootstrapServers() {
        if (Boolean.getBoolean(TESTCONTAINERS)) {
            return containerBootstrapServers();
        }
        if (broker == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("hubble-topology-test-kafka");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir));
            EmbeddedKafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                delete(dir);
            }, "shared-kafka-stop"));
            proveItServes(broker.bootstrapServers());
        }
        return broker.bootstrapServers();
    }

    /**
     * By name: the class is compiled only with the {@code testcontainers} profile, so that the default build
     * needs no Testcontainers artifacts.
     */
    private static String containerBootstrapServers() {
        try {
            return (String) Class.forName("io.hubbletopology.broker.testcontainers.ContainerKafka")
                    .getMethod("bootstrapServers").invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("-D" + TESTCONTAINERS + "=true needs the testcontainers profile's classes: " + e, e);
        }
    }

    /** A started broker is not yet a serving one: produce and consume once before handing it out. */
    private static void proveItServes(String bootstrap) {
        String topic = "shared-kafka-probe";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the test broker does not serve: " + e, e);
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "probe", "probe")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the test broker does not accept records: " + e, e);
        }
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    return;
                }
            }
            throw new IllegalStateException("the test broker does not serve records back");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp directory
        }
    }
}
