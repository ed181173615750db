package io.hubbletopology.api.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.hubbletopology.graph.EdgeKey;

/**
 * Writes edge updates to the processor's edge-updates topic as the processor would (its JSON contract, keyed
 * {@code <edge key>@<window start>}), at a steady rate, cycling over a fixed set of edges so that updates of
 * one edge can coalesce in a slow client's queue. Each record carries the {@link System#nanoTime()} of its
 * send in {@value LiveClients#SENT}, and the wall-clock send time in {@code last_seen}.
 */
final class EdgeUpdatePublisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int edges;
    private final long[] flows;
    private long sent;

    EdgeUpdatePublisher(String bootstrap, String topic, int edges) {
        // No linger: every record leaves at once, so the measured latency is not our batching.
        this.producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "linger.ms", 0, "acks", "1"),
                new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.edges = edges;
        this.flows = new long[edges];
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

    private void send() {
        int edge = (int) (sent++ % edges);
        flows[edge]++;
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
                + now + "\",\"" + LiveClients.SENT + "\":" + System.nanoTime() + "}";
        producer.send(new ProducerRecord<>(topic, new EdgeKey(src, dst, "TCP", 8080).text() + "@" + windowStart, json));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
