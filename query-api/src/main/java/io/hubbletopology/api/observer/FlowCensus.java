package io.hubbletopology.api.observer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.threads.DaemonThreads;

/**
 * What the flows topic holds, for ServerStatus, GetNodes and GetNamespaces: one background reader goes through
 * the topic from the start of its retention, then follows it, tallying the nodes that published (flows, last
 * flow time), the namespaces seen and the flow rate of the last minute. Memory grows with nodes and namespaces, not
 * with flows. Until the first
 * pass reaches the end the tallies are incomplete, which {@link #caughtUp()} says.
 */
final class FlowCensus implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlowCensus.class);

    /** A node's tally. */
    record NodeTally(long flows, Instant lastFlow) {
    }

    private final Map<String, Object> props;
    private final String topic;
    private final Clock clock;
    private final Map<String, NodeTally> nodes = new ConcurrentHashMap<>();
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    private final FlowRate rate = new FlowRate();
    private volatile long held;
    private volatile boolean closed;
    private volatile long appended;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    FlowCensus(Map<String, Object> kafkaProperties, String topic, Clock clock) {
        this.props = new HashMap<>(kafkaProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.topic = topic;
        this.clock = clock;
    }

    void start() {
        thread = DaemonThreads.start("observer-census", this::run);
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> firstEnd = c.endOffsets(partitions);
            long lastSizes = 0;
            while (!closed && !Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    count(r.value());
                }
                if (!caughtUp && partitions.stream().allMatch(tp -> c.position(tp) >= firstEnd.get(tp))) {
                    caughtUp = true;
                    log.info("Observer census read the flows topic {} to its end: {} nodes, {} namespaces", topic, nodes.size(), namespaces.size());
                }
                if (System.nanoTime() - lastSizes > 1_000_000_000L) {
                    sizes(c, partitions);
                    lastSizes = System.nanoTime();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.warn("Observer census of {} stopped: {}", topic, e.toString());
        }
    }

    private void sizes(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        long h = 0;
        long a = 0;
        for (TopicPartition tp : partitions) {
            h += end.get(tp) - begin.get(tp);
            a += end.get(tp);
        }
        held = h;
        appended = a;
    }

    private void count(byte[] value) {
        if (value == null) {
            return;
        }
        FlowRecord flow;
        try {
            flow = FlowRecord.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        long nanos = flow.getTimeUnixNanos();
        Instant time = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        rate.count(time);
        nodes.merge(flow.getNodeName(), new NodeTally(1, time),
                (a, b) -> new NodeTally(a.flows() + 1, a.lastFlow().isAfter(b.lastFlow()) ? a.lastFlow() : b.lastFlow()));
        namespace(flow.getSource());
        namespace(flow.getDestination());
    }

    private void namespace(EndpointRef e) {
        if (!e.getNamespace().isEmpty()) {
            namespaces.add(e.getCluster() + "/" + e.getNamespace());
        }
    }

    Map<String, NodeTally> nodes() {
        return Map.copyOf(nodes);
    }

    /** "cluster/namespace" pairs, the cluster empty when Hubble did not name it. */
    Set<String> namespaces() {
        return new TreeSet<>(namespaces);
    }

    /** Records the topic holds now (its retention), checked every second. */
    long held() {
        return held;
    }

    /** Records ever appended to the topic, retention's deleted ones included. */
    long appended() {
        return appended;
    }

    /** Flows per second over the last minute of flow time ({@link FlowRate}). */
    double flowsPerSecond() {
        return rate.perSecond(clock.instant());
    }

    boolean caughtUp() {
        return caughtUp;
    }

    Instant now() {
        return clock.instant();
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            // wakeup() ends the poll; interrupting would also break the consumer's own close (an ERROR with a
            // stack trace at every stop), so only a census that does not end by itself is interrupted.
            try {
                thread.join(5_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
