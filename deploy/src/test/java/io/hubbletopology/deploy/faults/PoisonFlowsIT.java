package io.hubbletopology.deploy.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.deploy.InJvmRoles;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * One record in a hundred on the flows topic is garbage: every one of them lands in the dead-letter topic
 * as it was sent, every good flow is counted once, and the processor stays RUNNING throughout.
 */
// Alone, not beside another test class (deploy/pom.xml): its processor runs in this JVM, whose state transitions it reads.
@Isolated
class PoisonFlowsIT {

    private static final int RECORDS = 5_000;
    private static final int EDGES = 20;

    @Test
    @Timeout(120)
    void garbageGoesToTheDeadLetterTopicTheRestIsCountedAndTheProcessorStaysRunning(@TempDir Path dir) throws Exception {
        InJvmRoles roles = InJvmRoles.on("poison-it-" + System.nanoTime());
        String kafka = roles.kafka();
        TopicNames topics = roles.topics();
        ProcessorConfig config = roles.processorConfig(dir.resolve("state"));
        TopologyProcessor processor = new TopologyProcessor(config);
        Random random = new Random(4242);
        Set<ByteBuffer> garbage = new HashSet<>();
        Map<String, Long> expected = new TreeMap<>();
        try (StateTransitions states = new StateTransitions(config.applicationId())) {
            processor.start();
            await().atMost(Duration.ofSeconds(60)).until(processor::running);
            long now = System.currentTimeMillis();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of("linger.ms", 5)),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    FlowRecord flow = flow(i, now);
                    String key = EdgeKey.of(flow).text();
                    byte[] value;
                    if (i % 100 == 99) {
                        value = garbage(random);
                        garbage.add(ByteBuffer.wrap(value));
                    } else {
                        value = flow.toByteArray();
                        expected.merge(key, 1L, Long::sum);
                    }
                    producer.send(new ProducerRecord<>(topics.flows(), null, now, key, value));
                }
                producer.flush();
            }
            assertThat(garbage).hasSize(RECORDS / 100);

            long good = RECORDS - garbage.size();
            Instant from = Instant.ofEpochMilli(now - 120_000);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    processor.queries().topology(from, Instant.now()).stream().mapToLong(EdgeStats::flows).sum() >= good);
            List<ConsumerRecord<byte[], byte[]>> letters = readAll(kafka, topics.deadLetter(), garbage.size());

            Map<String, Long> counted = new TreeMap<>();
            processor.queries().topology(from, Instant.now()).forEach(e -> counted.merge(e.edgeKey(), e.flows(), Long::sum));
            assertThat(counted).isEqualTo(expected);
            assertThat(letters).hasSize(garbage.size());
            assertThat(letters.stream().map(r -> ByteBuffer.wrap(r.value())).toList()).containsExactlyInAnyOrderElementsOf(garbage);
            assertThat(letters).allSatisfy(r -> assertThat(r.headers().lastHeader("__streams.errors.message")).isNotNull());
            assertThat(processor.queries().droppedRecords()).isEqualTo(garbage.size());

            assertThat(processor.state().name()).isEqualTo("RUNNING");
            assertThat(states.transitions()).as("no state change after RUNNING").endsWith("REBALANCING -> RUNNING")
                    .containsOnlyOnce("REBALANCING -> RUNNING");
            assertThat(states.threadFailures()).isEmpty();
        } finally {
            processor.close();
        }
    }

    private static FlowRecord flow(int i, long timeMs) {
        int e = i % EDGES;
        return FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setNodeName("node-a").setVerdict(Verdict.FORWARDED)
                .setSource(EndpointRef.newBuilder().setNamespace("poison").setPod("client-" + e + "-0"))
                .setDestination(EndpointRef.newBuilder().setNamespace("poison").setPod("server-" + e + "-0"))
                .setProtocol(L4Protocol.TCP).setDestinationPort(9000 + e).build();
    }

    /** Random bytes that are not a usable flow (random bytes very rarely are; the seed makes it certain). */
    private static byte[] garbage(Random random) {
        while (true) {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            try {
                FlowRecord parsed = FlowRecord.parseFrom(bytes);
                if (parsed.getTimeUnixNanos() > 0 && parsed.hasSource() && parsed.hasDestination()) {
                    continue;
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException notAFlow) {
                // garbage indeed
            }
            return bytes;
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String kafka, String topic, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything beyond what was expected would show now.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }
}
