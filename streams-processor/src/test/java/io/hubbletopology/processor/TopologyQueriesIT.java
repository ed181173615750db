package io.hubbletopology.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.processor.TopologyQueries.Store;
import io.hubbletopology.processor.internal.DeadLetters;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;
import io.hubbletopology.records.LinkCounters;
import io.hubbletopology.records.LinkStateRecord;
import io.hubbletopology.topics.TopicNames;

/**
 * The processor on the real broker answering through its query facade: topology over a range, one edge's
 * series, links with rates, the workload inventory, where stores and keys live; and a poison record on the
 * flows topic going to the dead-letter topic with its headers while the flows after it still count.
 */
class TopologyQueriesIT {

    private static final long MINUTE = 60_000;

    @Test
    @Timeout(120)
    void answersFromTheStoresAndRoutesPoisonToTheDeadLetterTopic(@TempDir Path dir) throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        String prefix = "queries-it-" + System.nanoTime() + ".";
        TopicNames topics = TopicNames.prefixed(prefix);
        Map<String, String> settings = new HashMap<>(Map.of("kafka.bootstrap_servers", kafka,
                "processor.application_id", prefix + "app", "processor.application_server", "127.0.0.1:18080",
                "processor.state_dir", dir.toString(), "processor.commit_interval", "100ms",
                "processor.window.grace", "1h", "processor.window.retention", "6h"));
        settings.putAll(FlowFeed.topicSettings(topics));
        ProcessorConfig config = ProcessorConfig.from(ConfigValues.of(settings));

        long now = System.currentTimeMillis();
        long t0 = now - now % MINUTE - 10 * MINUTE;
        try (TopologyProcessor processor = new TopologyProcessor(config);
             KafkaProducer<String, byte[]> producer = FlowFeed.producer(kafka)) {
            processor.start();
            // 30 flows over three edges in window t0, 20 in window t0 + 1 min; a poison record between them.
            for (int i = 0; i < 30; i++) {
                FlowFeed.send(producer, topics.flows(), FlowFeed.flow(i, 3, t0 + i * 1_000L));
            }
            producer.send(new ProducerRecord<>(topics.flows(), null, t0 + 40_000, "poison", "not a flow".getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < 20; i++) {
                FlowFeed.send(producer, topics.flows(), FlowFeed.flow(i, 3, t0 + MINUTE + i * 1_000L));
            }
            producer.send(new ProducerRecord<>(topics.links(), "n1/eth0", link(t0, 1_000).toByteArray()));
            producer.send(new ProducerRecord<>(topics.links(), "n1/eth0", link(t0 + 10_000, 51_000).toByteArray()));
            producer.flush();

            TopologyQueries q = processor.queries();
            Instant from = Instant.ofEpochMilli(t0);
            Instant to = Instant.ofEpochMilli(t0 + 2 * MINUTE);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .until(() -> q.topology(from, to).stream().mapToLong(EdgeStats::flows).sum() == 50
                            && q.links().size() == 1 && q.workloads().size() == 6);

            List<EdgeStats> topology = q.topology(from, to);
            assertThat(topology).hasSize(3);
            EdgeStats edge0 = topology.stream().filter(e -> e.port() == 8000).findFirst().orElseThrow();
            assertThat(edge0.flows()).isEqualTo(10 + 7);
            assertThat(edge0.edgeKey()).isEqualTo("load/statefulset/client-0 -> load/statefulset/server-0 TCP/8000");
            // Only the first window: the range ends before the second starts.
            assertThat(q.topology(from, Instant.ofEpochMilli(t0 + MINUTE - 1)).stream().mapToLong(EdgeStats::flows).sum())
                    .isEqualTo(30);

            List<EdgeUpdate> series = q.edgeSeries(edge0.edgeKey(), from, to).all();
            assertThat(series).extracting(u -> u.windowStart().toEpochMilli()).containsExactly(t0, t0 + MINUTE);
            assertThat(series).extracting(u -> u.stats().flows()).containsExactly(10L, 7L);
            assertThat(series.get(0).windowEnd()).isEqualTo(Instant.ofEpochMilli(t0 + MINUTE));
            assertThat(q.edgeSeries("no -> such TCP/1", from, to).all()).isEmpty();

            LinkState eth0 = q.links().get(0);
            assertThat(eth0.rxBytesPerS()).isEqualTo(5_000.0);
            assertThat(q.workloads()).extracting(Workload::id).contains("load/statefulset/client-0", "load/statefulset/server-2");

            String self = "127.0.0.1:18080";
            assertThat(q.self()).contains(self);
            await().atMost(Duration.ofSeconds(20)).until(() -> !q.instances(Store.EDGES).isEmpty());
            assertThat(q.instances(Store.EDGES)).singleElement().satisfies(i -> {
                assertThat(i.address()).isEqualTo(self);
                assertThat(i.local()).isTrue();
                assertThat(i.activePartitions()).containsExactly(0, 1, 2);
                assertThat(i.standbyPartitions()).isEmpty();
            });
            assertThat(q.localPartitions(Store.WORKLOADS).activePartitions()).containsExactly(0, 1, 2);
            assertThat(q.partitions(Store.EDGES)).isEqualTo(3);
            int partition = q.partitionOf(Store.EDGES, edge0.edgeKey());
            assertThat(partition).isBetween(0, 2);
            // The partition computed for the key is the one the producer put it in.
            assertThat(q.topology(from, to, TopologyQueries.Scope.of(Set.of(partition), false)))
                    .extracting(EdgeStats::edgeKey).contains(edge0.edgeKey());
            assertThat(q.topologyByPartition(from, to, TopologyQueries.Scope.ACTIVE).items()).containsOnlyKeys(0, 1, 2);

            List<ConsumerRecord<byte[], byte[]>> letters = read(kafka, topics.deadLetter(), 1);
            assertThat(letters).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not a flow");
            assertThat(header(letter, DeadLetters.MESSAGE)).startsWith("cannot decode");
            assertThat(header(letter, DeadLetters.TOPIC)).isEqualTo(topics.flows());
            assertThat(header(letter, DeadLetters.PARTITION)).matches("[0-2]");
            assertThat(header(letter, DeadLetters.OFFSET)).matches("\\d+");
            assertThat(q.droppedRecords()).isEqualTo(1);
            assertThat(q.lateFlows()).isZero();
        }
    }

    private static LinkStateRecord link(long observedMs, long rxBytes) {
        return LinkStateRecord.newBuilder().setNodeName("n1").setInterface("eth0").setOperstate("up").setCarrier(1)
                .setObservedUnixNanos(observedMs * 1_000_000L).setCounters(LinkCounters.newBuilder().setRxBytes(rxBytes)).build();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String kafka, String topic, int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                return out.size() >= atLeast;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }
}
