package io.hubbletopology.processor;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/** Test flows in and edge figures out, over a real broker. */
final class FlowFeed {

    private FlowFeed() {
    }

    /** A flow of one of {@code edges} distinct edges: client-i to server-(i % edges), port 8000 + i % edges. */
    static FlowRecord flow(int i, int edges, long timeMs) {
        int e = i % edges;
        return FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setNodeName("node-" + (e % 3))
                .setVerdict(i % 10 == 0 ? Verdict.DROPPED : Verdict.FORWARDED)
                .setSource(EndpointRef.newBuilder().setNamespace("load").setPod("client-" + e + "-0"))
                .setDestination(EndpointRef.newBuilder().setNamespace("load").setPod("server-" + e + "-0"))
                .setProtocol(L4Protocol.TCP).setDestinationPort(8000 + e).build();
    }

    /** The processor's topic keys for a set of topic names, e.g. {@code TopicNames.prefixed("my-test.")}. */
    static Map<String, String> topicSettings(TopicNames topics) {
        return Map.of("topics.flows", topics.flows(), "topics.links", topics.links(),
                "topics.lost_events", topics.lostEvents(), "topics.dead_letter", topics.deadLetter(),
                "topics.edge_updates", topics.edgeUpdates(), "topics.link_changes", topics.linkChanges(),
                "topics.workload_changes", topics.workloadChanges());
    }

    /**
     * Creates a topic and waits until every partition has a leader: an idempotent producer that starts sending
     * while a new partition's leadership settles can get stuck retrying a batch (OUT_OF_ORDER_SEQUENCE_NUMBER).
     */
    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get()
                    .get(topic).partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(SharedKafka.producerConfig(bootstrap, Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 10)),
                new StringSerializer(), new ByteArraySerializer());
    }

    static void send(KafkaProducer<String, byte[]> producer, String topic, FlowRecord flow) {
        producer.send(new ProducerRecord<>(topic, null, flow.getTimeUnixNanos() / 1_000_000L, EdgeKey.of(flow).text(), flow.toByteArray()));
    }

    /**
     * Reads the edge updates topic (committed records only) and keeps the latest update per key, as
     * compaction would; their flows summed are the figures downstream consumers see.
     */
    static final class EdgeTotals implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final Map<String, EdgeUpdate> latest = new HashMap<>();
        private final Map<String, Integer> partitionOfEdge = new HashMap<>();
        private boolean edgesInOnePartition = true;
        private long updates;

        EdgeTotals(String bootstrap, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads what has been committed so far (until a poll comes back empty) and sums the latest figures. */
        long flows() {
            ConsumerRecords<String, String> records;
            do {
                records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    add(r);
                }
            } while (!records.isEmpty());
            return latest.values().stream().mapToLong(u -> u.stats().flows()).sum();
        }

        private void add(ConsumerRecord<String, String> r) {
            try {
                EdgeUpdate update = OutputJson.MAPPER.readValue(r.value(), EdgeUpdate.class);
                latest.put(r.key(), update);
                updates++;
                Integer before = partitionOfEdge.putIfAbsent(update.stats().edgeKey(), r.partition());
                edgesInOnePartition &= before == null || before == r.partition();
            } catch (Exception e) {
                throw new AssertionError("not an edge update: " + r.value(), e);
            }
        }

        Map<String, EdgeUpdate> latest() {
            return latest;
        }

        /** How many updates were read, the superseded ones included. */
        long updates() {
            return updates;
        }

        boolean edgesInOnePartition() {
            return edgesInOnePartition;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
