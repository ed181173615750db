package io.hubbletopology.processor.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.processor.query.OutputFeed;

/**
 * Writes the live views' provisional states to the live topic with a plain producer of its own, outside Kafka
 * Streams' transactions: what it sends is readable at once, whatever the commit interval and processing guarantee.
 * Records are keyed by the edge (or link), so one edge's states stay in one partition, in order (the producer
 * is idempotent); the value is the same JSON as on the output topics, and the header {@value OutputFeed#SCHEMA_HEADER}
 * tells an edge from a link without parsing. The record time is the wall clock, which the topic's short
 * retention goes by (flow times can be hours old in a replay).
 *
 * <p>Never blocks a stream thread for long: a send that cannot get buffer space or metadata within
 * {@value #MAX_BLOCK_MS} ms is refused, and the view keeps that state to send at its next interval.
 */
public final class LivePublisher implements LiveSink, AutoCloseable {

    static final long MAX_BLOCK_MS = 50;
    private static final Logger log = LoggerFactory.getLogger(LivePublisher.class);
    private static final byte[] EDGE = EdgeUpdate.SCHEMA.getBytes(StandardCharsets.UTF_8);
    private static final byte[] LINK = LinkState.SCHEMA.getBytes(StandardCharsets.UTF_8);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong failed = new AtomicLong();
    /** False until Kafka took a first live state: misses before that are the topic's metadata not known yet. */
    private final AtomicBoolean delivered = new AtomicBoolean();
    private final AtomicLong logged = new AtomicLong();

    /** @param producerProperties Kafka client settings, bootstrap servers included */
    public LivePublisher(Map<String, Object> producerProperties, String topic) {
        this.topic = topic;
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "hubble-topology-live");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public boolean edge(String edgeKey, EdgeUpdate update) {
        return send(edgeKey, update, EDGE);
    }

    @Override
    public boolean link(String linkKey, LinkState link) {
        return send(linkKey, link, LINK);
    }

    private boolean send(String key, Object value, byte[] schema) {
        ProducerRecord<String, byte[]> record;
        try {
            record = new ProducerRecord<>(topic, key, OutputJson.MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a live state that cannot be written as JSON", e);
        }
        record.headers().add(OutputFeed.SCHEMA_HEADER, schema);
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failed(error);
                } else {
                    delivered.set(true);
                }
            });
            return true;
        } catch (KafkaException e) {
            // No room in the buffer or no metadata yet (Kafka away): refused now, sent again at the next interval.
            failed(e);
            return false;
        }
    }

    private void failed(Exception error) {
        long n = failed.incrementAndGet();
        if (!delivered.get() && error instanceof TimeoutException) {
            // At start the producer waits at most MAX_BLOCK_MS for the topic's metadata, which a busy broker or a
            // topic being created takes longer to give: not a fault, and those windows go out at their next change.
            if (n == 1) {
                log.info("Live topic {} not known to the producer yet; live states wait for it", topic);
            }
            return;
        }
        long m = logged.incrementAndGet();
        if (m == 1 || m % 10_000 == 0) {
            log.warn("Live states not sent to {} ({} so far; the live feed lags until Kafka takes them): {}", topic, n,
                    error.toString());
        }
    }

    /** Live states refused or lost so far. */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
