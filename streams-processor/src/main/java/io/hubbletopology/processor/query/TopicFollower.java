package io.hubbletopology.processor.query;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.hubbletopology.threads.DaemonThreads;

/**
 * Follows topics from their end, every partition, without a consumer group: each API instance reads
 * everything itself, so every live client on every instance sees every change. Records go to a handler on
 * this follower's thread; a handler that throws on a record costs that record only.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private final Map<String, Object> kafkaProperties;
    private final List<String> topics;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private volatile boolean running = true;
    private volatile boolean following;
    private boolean waitingLogged;
    private long failed;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public TopicFollower(Map<String, Object> kafkaProperties, List<String> topics, Consumer<ConsumerRecord<String, byte[]>> handler) {
        this.kafkaProperties = kafkaProperties;
        this.topics = List.copyOf(topics);
        this.handler = handler;
    }

    public void start(String name) {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Only what producers committed: the processor writes its outputs in transactions under exactly-once.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread = DaemonThreads.start(name, this::run);
    }

    private void run() {
        try {
            while (running && !assignAll()) {
                Thread.sleep(1_000);
            }
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        if (failed++ == 0) {
                            log.warn("Skipping a record the live feed cannot use ({}-{}@{}): {}", record.topic(),
                                    record.partition(), record.offset(), e.getMessage());
                        }
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Following {} stopped", topics, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Assigns every partition of the topics at their end; false while a topic does not exist yet or Kafka does not
     * answer (the API starts before the processor has created its topics, possibly before the broker is up).
     */
    private boolean assignAll() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (RetriableException e) {
                if (!waitingLogged) {
                    waitingLogged = true;
                    log.info("Waiting for Kafka to follow {}: {}", topics, e.getMessage());
                }
                return false;
            }
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, so "following" means: every later record will be seen.
        partitions.forEach(consumer::position);
        following = true;
        log.info("Following {} ({} partitions)", topics, partitions.size());
        return true;
    }

    /** True once every partition is assigned at its end: every later record reaches the handler. */
    public boolean following() {
        return following;
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
