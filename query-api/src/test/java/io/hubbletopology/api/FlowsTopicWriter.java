package io.hubbletopology.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;

/**
 * Writes flow records to the flows topic the way the ingest agent does: keyed by their edge, timestamped at the
 * flow's own time, so that the processor windows them where they happened.
 */
public final class FlowsTopicWriter {

    private FlowsTopicWriter() {
    }

    /** A producer of the flows topic's records on the test broker, with {@link SharedKafka}'s settings. */
    public static KafkaProducer<String, byte[]> producer(String kafka) {
        return new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of()), new StringSerializer(), new ByteArraySerializer());
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

    /**
     * {@code count} forwarded flows of the last moments, from 8 clients in 5 namespaces to 6 servers in 3 on 4
     * ports: edges enough to land on every partition. Returns once they are written, with the flows of each edge.
     */
    public static Map<String, Long> sendAcrossEdges(String kafka, String topic, int count) {
        Map<String, Long> flowsByEdge = new TreeMap<>();
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int i = 0; i < count; i++) {
                FlowRecord flow = FlowRecord.newBuilder().setTimeUnixNanos((now + i) * 1_000_000L).setVerdict(Verdict.FORWARDED)
                        .setSource(EndpointRef.newBuilder().setNamespace("ns" + (i % 5)).setPod("client-" + (i % 8) + "-0"))
                        .setDestination(EndpointRef.newBuilder().setNamespace("ns" + (i % 3)).setPod("server-" + (i % 6) + "-0"))
                        .setProtocol(L4Protocol.TCP).setDestinationPort(8000 + i % 4).build();
                flowsByEdge.merge(EdgeKey.of(flow).text(), 1L, Long::sum);
                producer.send(record(topic, flow));
            }
            producer.flush();
        }
        return flowsByEdge;
    }
}
