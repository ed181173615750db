package io.hubbletopology.processor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/**
 * How fast the processor catches up with a backlog of flows, next to a plain KafkaConsumer reading the same
 * topic from the same broker in the same run (the ceiling: reading without doing anything), and, for reference,
 * a consumer that decodes every flow and does nothing else.
 * <p>
 * Pre-loads N synthetic flows (the simulator's synthetic cluster, non-reply flows as the ingest publishes by
 * default, 10 minutes of event time), then: (1) a plain consumer reads them all (bytes, no decoding);
 * (2) the processor, with a fresh application id, processes them all; its rate is measured from RUNNING to the
 * moment its committed offsets reach the end of every partition. Not part of {@code mvn verify}:
 * <pre>
 * mvn -o -q -pl streams-processor -am -Pbench test-compile -Dbench.flows=2000000 [-Dbench.exactlyOnce=true]
 * </pre>
 */
public final class CatchUpBenchmark {

    private CatchUpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int flows = Integer.getInteger("bench.flows", 2_000_000);
        int partitions = Integer.getInteger("bench.partitions", 3);
        boolean exactlyOnce = Boolean.getBoolean("bench.exactlyOnce");
        int threads = Integer.getInteger("bench.threads", 1);
        Path dir = Files.createTempDirectory("catch-up-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir.resolve("kafka")))) {
            String kafka = broker.bootstrapServers();
            TopicNames topics = TopicNames.prefixed("bench.");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
                admin.createTopics(List.of(new NewTopic(topics.flows(), partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            long loadStart = System.nanoTime();
            long bytes = preload(kafka, topics.flows(), flows);
            double loadSeconds = seconds(loadStart);
            System.out.printf("preloaded %,d flows (%,d bytes, %.0f bytes/flow) in %.1f s%n", flows, bytes,
                    (double) bytes / flows, loadSeconds);

            // The machine is shared: the plain consumer runs before and after the processor, and every rate is
            // also given per CPU-second of the threads doing the work, which other load does not distort.
            Rates before = plainConsumer(kafka, topics.flows(), flows, false);
            System.out.printf("plain KafkaConsumer (before): %s%n", before);
            Rates decodingBefore = plainConsumer(kafka, topics.flows(), flows, true);
            System.out.printf("a KafkaConsumer that also decodes each FlowRecord (before): %s%n", decodingBefore);
            Rates processor = processor(kafka, topics, dir.resolve("state"), exactlyOnce, threads);
            System.out.printf("processor (%s, %d stream thread(s)): %s; %,.0f records/s including start-up%n",
                    exactlyOnce ? "exactly_once_v2" : "at_least_once", threads, processor, processor.withStartUp());
            Rates after = plainConsumer(kafka, topics.flows(), flows, false);
            System.out.printf("plain KafkaConsumer (after): %s%n", after);
            Rates decoding = plainConsumer(kafka, topics.flows(), flows, true);
            System.out.printf("a KafkaConsumer that also decodes each FlowRecord (after): %s%n", decoding);
            double consumerWall = (before.wall() + after.wall()) / 2;
            double consumerCpu = (before.perCpuSecond() + after.perCpuSecond()) / 2;
            System.out.printf("ratio processor / plain consumer: %.2f by wall clock, %.2f per CPU-second%n",
                    processor.wall() / consumerWall, processor.perCpuSecond() / consumerCpu);
            // The decoding consumer does the part of the processor's work that any reader of these records does.
            double decodingWall = (decodingBefore.wall() + decoding.wall()) / 2;
            double decodingCpu = (decodingBefore.perCpuSecond() + decoding.perCpuSecond()) / 2;
            System.out.printf("ratio processor / decoding consumer: %.2f by wall clock, %.2f per CPU-second%n",
                    processor.wall() / decodingWall, processor.perCpuSecond() / decodingCpu);
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static long preload(String kafka, String topic, int n) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        SyntheticCluster cluster = new SyntheticCluster(42);
        long start = Instant.now().minus(Duration.ofMinutes(15)).toEpochMilli() * 1_000_000L;
        long stepNanos = Duration.ofMinutes(10).toNanos() / n;
        long bytes = 0;
        int sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; sent < n; i++) {
                long time = start + sent * stepNanos;
                Flow flow = cluster.next(time);
                if (flow.getIsReply().getValue()) {
                    continue;
                }
                FlowRecord record = FlowRecords.fromHubble(flow, "bench-node");
                byte[] value = record.toByteArray();
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, null, time / 1_000_000L, EdgeKey.of(record).text(), value));
                sent++;
            }
            producer.flush();
        }
        return bytes;
    }

    /** Records per second of wall clock, and per CPU-second of the threads that did the work. */
    record Rates(double wall, double perCpuSecond, double withStartUp) {
        @Override
        public String toString() {
            return String.format("%,.0f records/s (%,.0f records per CPU-second)", wall, perCpuSecond);
        }
    }

    /** CPU time of the live threads whose name contains the fragment. */
    private static long cpuNanos(String threadNameFragment) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(threadNameFragment)) {
                sum += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private static Rates plainConsumer(String kafka, String topic, int n, boolean decode) throws Exception {
        Rates[] result = new Rates[1];
        Exception[] failure = new Exception[1];
        // Its own thread (and the consumer's own background threads, named after its client id) to measure CPU.
        Thread t = new Thread(() -> {
            try {
                result[0] = plainConsumerOnThisThread(kafka, topic, n, decode);
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "bench-plain-consumer");
        t.start();
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    private static Rates plainConsumerOnThisThread(String kafka, String topic, int n, boolean decode) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-plain-consumer-" + System.nanoTime());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long start = System.nanoTime();
            long cpuStart = cpuNanos("bench-plain-consumer");
            long read = 0;
            long checksum = 0;
            while (read < n) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    checksum += decode ? FlowRecord.parseFrom(r.value()).getDestinationPort() : r.value().length;
                }
            }
            double rate = read / seconds(start);
            double cpuSeconds = (cpuNanos("bench-plain-consumer") - cpuStart) / 1e9;
            if (checksum == 0) {
                throw new IllegalStateException("read nothing");
            }
            return new Rates(rate, read / cpuSeconds, rate);
        }
    }

    /** Records/s from RUNNING and per CPU-second of the stream threads, and records/s from start(). */
    private static Rates processor(String kafka, TopicNames topics, Path stateDir, boolean exactlyOnce, int threads)
            throws Exception {
        String appId = "bench-" + System.nanoTime();
        Map<String, String> settings = new HashMap<>(Map.of("kafka.bootstrap_servers", kafka,
                "processor.application_id", appId, "processor.state_dir", stateDir.toString(),
                "processor.exactly_once", String.valueOf(exactlyOnce), "processor.threads", String.valueOf(threads),
                "topics.flows", topics.flows(), "topics.links", topics.links(), "topics.dead_letter", topics.deadLetter(),
                "topics.edge_updates", topics.edgeUpdates(), "topics.link_changes", topics.linkChanges()));
        settings.put("topics.workload_changes", topics.workloadChanges());
        ProcessorConfig config = ProcessorConfig.from(ConfigValues.of(settings));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka));
             TopologyProcessor processor = new TopologyProcessor(config)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(List.of(topics.flows())).allTopicNames().get().get(topics.flows()).partitions()) {
                latest.put(new TopicPartition(topics.flows(), d.partition()), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long total = ends.values().stream().mapToLong(Long::longValue).sum();

            long start = System.nanoTime();
            processor.start();
            while (!processor.running()) {
                Thread.sleep(20);
            }
            long running = System.nanoTime();
            long cpuStart = cpuNanos(appId);
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
                boolean done = ends.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
                        && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    break;
                }
                Thread.sleep(50);
            }
            double cpuSeconds = (cpuNanos(appId) - cpuStart) / 1e9;
            return new Rates(total / seconds(running), total / cpuSeconds, total / seconds(start));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
