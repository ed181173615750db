package io.hubbletopology.api.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.query.OutputFeed;

/**
 * Writes edge states to the live topic as the processor's live publisher would (the edge JSON contract with its
 * schema header, keyed {@code <edge key>@<window start>}): what the API's live feed follows, at a steady rate, cycling over a fixed set of edges so that updates of
 * one edge can coalesce for a slow client. An edge's {@code flows} grows by one with each of its updates, so it
 * names the state: the benchmark remembers the {@link System#nanoTime()} at which each state was sent
 * ({@link #sentNanos}), and a client holding {@code flows >= n} holds state n or a newer one. (The server reads
 * the records as typed edge updates, so a field of our own would not reach the clients.)
 */
final class EdgeUpdatePublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int edges;
    private final long[] flows;
    private final java.util.concurrent.atomic.AtomicLongArray sentNanos;
    private long sent;

    /** @param capacity how many updates it may send in all (their send times are kept) */
    EdgeUpdatePublisher(String bootstrap, String topic, int edges, int capacity) {
        // No linger: every record leaves at once, so the measured latency is not our batching.
        this.producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "linger.ms", 0, "acks", "1"),
                new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.edges = edges;
        this.flows = new long[edges];
        this.sentNanos = new java.util.concurrent.atomic.AtomicLongArray(capacity + edges);
    }

    int edges() {
        return edges;
    }

    /** Each edge's current state (its flows), for a run to start from. */
    synchronized long[] flowsNow() {
        return flows.clone();
    }

    /** When state {@code flows} of {@code edge} was sent, 0 when it was not (yet). */
    long sentNanos(int edge, long flows) {
        long index = (flows - 1) * edges + edge;
        return flows < 1 || index >= sentNanos.length() ? 0 : sentNanos.get((int) index);
    }

    /** Publishes {@code perSecond} updates a second for {@code duration}; returns how many were sent. */
    long publish(int perSecond, Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long count = 0;
        while (System.nanoTime() < end) {
            long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
            while (count < due) {
                send();
                count++;
            }
            Thread.sleep(1);
        }
        producer.flush();
        return count;
    }

    private synchronized void send() {
        if (sent >= sentNanos.length() - edges) {
            throw new IllegalStateException("more updates than the capacity of " + (sentNanos.length() - edges));
        }
        int edge = (int) (sent++ % edges);
        flows[edge]++;
        sentNanos.set((int) ((flows[edge] - 1) * edges + edge), System.nanoTime());
        String src = "bench-" + (edge % 10) + "/deployment/client-" + (edge % 20);
        String dst = "bench-" + (edge / 20 % 10) + "/deployment/server-" + edge / 20;
        Instant now = Instant.now();
        long windowStart = now.toEpochMilli() / 60_000 * 60_000;
        String json = "{\"schema\":\"hubble-topology.edge/v1\",\"window_start\":\"" + Instant.ofEpochMilli(windowStart)
                + "\",\"window_end\":\"" + Instant.ofEpochMilli(windowStart + 60_000) + "\",\"src\":\"" + src + "\",\"dst\":\"" + dst
                + "\",\"src_namespace\":\"bench-" + (edge % 10) + "\",\"dst_namespace\":\"bench-" + (edge / 20 % 10)
                + "\",\"protocol\":\"TCP\",\"port\":8080,\"flows\":" + flows[edge] + ",\"verdicts\":{\"FORWARDED\":" + flows[edge]
                + "},\"drop_reasons\":{},\"tcp\":{\"syn\":" + flows[edge] + ",\"rst\":0},\"http\":{\"requests\":0,\"status\":{}},"
                + "\"dns\":{\"queries\":0,\"failures\":0},\"latency\":{\"count\":0,\"sum_ns\":0,\"max_ns\":0},\"encrypted\":false,"
                + "\"nodes\":[\"node-" + (edge % 3) + "\"],\"first_seen\":\"" + Instant.ofEpochMilli(windowStart) + "\",\"last_seen\":\""
                + now + "\"}";
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, new EdgeKey(src, dst, "TCP", 8080).text() + "@" + windowStart, json);
        // The live topic names each record's schema in a header, as the processor's LivePublisher writes it.
        record.headers().add(OutputFeed.SCHEMA_HEADER, EdgeUpdate.SCHEMA.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
