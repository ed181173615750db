package io.hubbletopology.ingest.publish;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.graph.LinkKey;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.LinkStateRecord;
import io.hubbletopology.records.LostEventsRecord;
import io.hubbletopology.topics.TopicNames;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Publishes flows, link states and lost-event reports to Kafka. The producer is idempotent with acks=all, so
 * a retried send is written once; it retries for as long as Kafka is away. Memory is bounded by the
 * producer's {@code buffer.memory}: when it is full, {@code publish} blocks, which stops the sources from
 * reading further (backpressure: gRPC flow control holds Hubble, a replayed file is not read on) instead of
 * buffering without bound or dropping. A record Kafka refuses for good, or one still unsent when the agent
 * is stopped, is counted as dropped and logged.
 *
 * <pre>{@code
 * try (FlowPublisher publisher = new FlowPublisher(Map.of("bootstrap.servers", "127.0.0.1:9092"), TopicNames.defaults(), metrics)) {
 *     publisher.publish(flowRecord);
 * }
 * }</pre>
 */
public final class FlowPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlowPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final TopicNames topics;
    private final IngestMetrics metrics;
    private final AtomicLong flowsPublished = new AtomicLong();
    private final AtomicLong linksPublished = new AtomicLong();
    private final AtomicLong lostReportsPublished = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final CountDownLatch open;

    /**
     * @param kafkaProperties producer properties; they override the defaults of {@link #defaults()}
     */
    public FlowPublisher(Map<String, Object> kafkaProperties, TopicNames topics, IngestMetrics metrics) {
        this(kafkaProperties, topics, metrics, false);
    }

    private FlowPublisher(Map<String, Object> kafkaProperties, TopicNames topics, IngestMetrics metrics, boolean gated) {
        this.open = new CountDownLatch(gated ? 1 : 0);
        Properties props = new Properties();
        props.putAll(defaults());
        props.putAll(kafkaProperties);
        // Not overridable: without them a retry may duplicate or a send may be acknowledged before it is safe.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.metrics = metrics;
        // The producer's own figures (kafka_producer_*: record-error-rate, buffer-available-bytes, ...) beside ours.
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(metrics.registry());
    }

    /**
     * A publisher whose {@code publish} calls wait until {@link #open()}: the agent opens it once its topics
     * exist and have leaders. Sending to a topic that is still being created can meet NOT_LEADER on the first
     * batch, and an idempotent producer retrying that batch after later ones were written then gets
     * OUT_OF_ORDER_SEQUENCE forever (seen with Kafka 4.3 here). Waiting is backpressure like a full buffer.
     */
    public static FlowPublisher gated(Map<String, Object> kafkaProperties, TopicNames topics, IngestMetrics metrics) {
        return new FlowPublisher(kafkaProperties, topics, metrics, true);
    }

    /** Lets waiting and later {@code publish} calls through. */
    public void open() {
        open.countDown();
    }

    /** The producer settings the agent uses unless configured otherwise. */
    public static Map<String, Object> defaults() {
        return Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                // The bound on what the agent holds while Kafka is slow or away; then the sources wait.
                ProducerConfig.BUFFER_MEMORY_CONFIG, 16L * 1024 * 1024,
                // Retry for as long as Kafka is away: the sources wait, nothing is dropped.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE);
    }

    /**
     * Sends one flow keyed by its edge (see {@link EdgeKey}: every flow of an edge lands in one partition, so
     * the processor aggregates without repartitioning); blocks while the producer's buffer is full.
     */
    public void publish(FlowRecord flow) {
        send(topics.flows(), EdgeKey.of(flow).text(), flow.getTimeUnixNanos(), flow.toByteArray(), "flow", flowsPublished,
                metrics.flowsPublished()::increment);
    }

    /** Sends one link state keyed by node/interface, the key the compacted links topic keeps the latest of. */
    public void publish(LinkStateRecord link) {
        send(topics.links(), new LinkKey(link.getNodeName(), link.getInterface()).text(), link.getObservedUnixNanos(), link.toByteArray(),
                "link state", linksPublished, metrics.linksPublished()::increment);
    }

    /** Sends one lost-events report keyed by the node whose Hubble reported it. */
    public void publish(LostEventsRecord lost) {
        send(topics.lostEvents(), lost.getNodeName(), lost.getObservedUnixNanos(), lost.toByteArray(), "lost-events report",
                lostReportsPublished, () -> { });
    }

    private void send(String topic, String key, long timeUnixNanos, byte[] value, String what, AtomicLong published,
                      Runnable onPublished) {
        long started = System.nanoTime();
        Callback done = (metadata, error) -> {
            if (error == null) {
                published.incrementAndGet();
                onPublished.run();
                metrics.recordSendLatency(System.nanoTime() - started);
            } else {
                onError(what, topic, error);
            }
        };
        try {
            if (open.getCount() > 0) {
                open.await();
            }
            producer.send(new ProducerRecord<>(topic, null, timeUnixNanos / 1_000_000L, key, value), done);
        } catch (InterruptException e) {
            // Stopped while waiting for room in the buffer: this record was read but will not be sent.
            metrics.dropped().increment();
            throw e;
        } catch (InterruptedException e) {
            metrics.dropped().increment();
            throw new InterruptException(e);
        }
    }

    private void onError(String what, String topic, Exception error) {
        // With an unbounded delivery timeout only fatal errors (authorization, record too large) and records
        // still unsent when the producer is closed end up here.
        metrics.dropped().increment();
        metrics.producerErrors().increment();
        long n = sendErrors.incrementAndGet();
        if (n == 1 || n % 10_000 == 0) {
            log.error("Kafka did not take a {} record for {} ({} dropped so far): {}", what, topic, n, error.toString());
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

    public long lostReportsPublished() {
        return lostReportsPublished.get();
    }

    public long sendErrors() {
        return sendErrors.get();
    }

    /** Sends what is buffered (up to the timeout) and closes the producer; what is left is counted as dropped. */
    public void close(Duration timeout) {
        producer.close(timeout);
        producerMetrics.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
