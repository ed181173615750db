package io.hubbletopology.api.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Feeds the live feed from the processor's output topics. Every API instance reads every partition itself
 * (assigned, no consumer group), from the end, so every client on every instance sees every change.
 * A record that is not the JSON we expect is counted and skipped: one bad record never stops the feed.
 */
public final class OutputTopicsListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutputTopicsListener.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> kafkaProperties;
    private final String edgeTopic;
    private final String linkTopic;
    private final LiveFeed feed;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    public OutputTopicsListener(Map<String, Object> kafkaProperties, String edgeTopic, String linkTopic, LiveFeed feed) {
        this.kafkaProperties = kafkaProperties;
        this.edgeTopic = edgeTopic;
        this.linkTopic = linkTopic;
        this.feed = feed;
    }

    public void start() {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Read only what the processor committed under exactly-once.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        thread = new Thread(this::run, "live-feed-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running && !assignAll()) {
                Thread.sleep(1_000);
            }
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Live feed consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition of both topics at their end; false while the topics do not exist yet. */
    private boolean assignAll() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(edgeTopic, linkTopic)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, so "assigned" means: every later record will be seen.
        partitions.forEach(consumer::position);
        assigned = true;
        log.info("Live feed following {} and {} ({} partitions)", edgeTopic, linkTopic, partitions.size());
        return true;
    }

    private void handle(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        try {
            JsonNode value = JSON.readTree(record.value());
            if (!value.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            received.incrementAndGet();
            feed.publish(record.topic().equals(edgeTopic) ? FeedMessages.edge(value) : FeedMessages.link(value));
        } catch (Exception e) {
            if (skipped.getAndIncrement() == 0) {
                log.warn("Skipping a record the live feed cannot read ({}-{}@{}): {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
    }

    /** True once every partition is assigned at its end: later records reach the clients. */
    public boolean following() {
        return assigned;
    }

    public long skipped() {
        return skipped.get();
    }

    public long received() {
        return received.get();
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
