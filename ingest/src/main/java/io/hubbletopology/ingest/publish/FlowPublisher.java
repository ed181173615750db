package io.hubbletopology.ingest.publish;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.model.EdgeKeys;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.LinkStateRecord;
import io.hubbletopology.topics.TopicNames;

/**
 * Publishes flows and link states to Kafka. The producer is idempotent with acks=all, so a retried send is
 * written once; when Kafka is slow the producer's buffer fills and {@code send} blocks, which stops the
 * sources from reading further (backpressure) instead of buffering without bound.
 */
public final class FlowPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlowPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final TopicNames topics;
    private final AtomicLong flowsPublished = new AtomicLong();
    private final AtomicLong linksPublished = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();

    public FlowPublisher(Map<String, Object> kafkaProperties, TopicNames topics) {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        // Retry for as long as Kafka is away: the sources wait, nothing is dropped.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE);
        props.putAll(kafkaProperties);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    /** Sends one flow keyed by its edge; blocks while the producer's buffer is full. */
    public void publish(FlowRecord flow) {
        long timestampMs = flow.getTimeUnixNanos() / 1_000_000L;
        producer.send(new ProducerRecord<>(topics.flows(), null, timestampMs, EdgeKeys.of(flow), flow.toByteArray()),
                (metadata, error) -> {
                    if (error == null) {
                        flowsPublished.incrementAndGet();
                    } else {
                        onError("flow", error);
                    }
                });
    }

    /** Sends one link state keyed by node/interface, the key the compacted links topic keeps the latest of. */
    public void publish(LinkStateRecord link) {
        long timestampMs = link.getObservedUnixNanos() / 1_000_000L;
        producer.send(new ProducerRecord<>(topics.links(), null, timestampMs, link.getNodeName() + "/" + link.getInterface(),
                link.toByteArray()), (metadata, error) -> {
                    if (error == null) {
                        linksPublished.incrementAndGet();
                    } else {
                        onError("link state", error);
                    }
                });
    }

    private void onError(String what, Exception error) {
        // With infinite delivery timeout only fatal errors (authorization, record too large) end up here.
        if (sendErrors.getAndIncrement() == 0) {
            log.error("Kafka refused a {} record: {}", what, error.toString());
        }
    }

    public void flush() {
        producer.flush();
    }

    public long flowsPublished() {
        return flowsPublished.get();
    }

    public long linksPublished() {
        return linksPublished.get();
    }

    public long sendErrors() {
        return sendErrors.get();
    }

    /** Sends what is buffered (up to the timeout) and closes the producer. */
    public void close(long timeoutMs) {
        producer.close(java.time.Duration.ofMillis(timeoutMs));
    }

    @Override
    public void close() {
        close(TimeUnit.SECONDS.toMillis(10));
    }
}
