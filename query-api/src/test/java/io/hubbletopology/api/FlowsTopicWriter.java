package io.hubbletopology.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.records.FlowRecord;

/**
 * Writes flow records to the flows topic the way the ingest agent does: keyed by their edge, timestamped at the
 * flow's own time, so that the processor windows them where they happened.
 */
public final class FlowsTopicWriter {

    private FlowsTopicWriter() {
    }

    public static ProducerRecord<String, byte[]> record(String topic, FlowRecord f) {
        return new ProducerRecord<>(topic, null, f.getTimeUnixNanos() / 1_000_000L, EdgeKey.of(f).text(), f.toByteArray());
    }

    /** Sends every flow and returns once the broker has acknowledged them all. */
    public static void sendAll(KafkaProducer<String, byte[]> producer, String topic, List<FlowRecord> flows) throws Exception {
        List<Future<?>> sends = new ArrayList<>();
        for (FlowRecord f : flows) {
            sends.add(producer.send(record(topic, f)));
        }
        producer.flush();
        for (Future<?> send : sends) {
            send.get(30, TimeUnit.SECONDS);
        }
    }
}
