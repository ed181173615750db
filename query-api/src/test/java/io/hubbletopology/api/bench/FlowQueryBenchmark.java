package io.hubbletopology.api.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.hubbletopology.api.flows.FlowFilter;
import io.hubbletopology.api.flows.FlowPage;
import io.hubbletopology.api.flows.FlowQuery;
import io.hubbletopology.api.flows.FlowSearch;
import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;

/**
 * How long flow queries over the last 15 minutes take when the cluster emitted 10,000 flows/s (9 million
 * flows of history), next to a plain KafkaConsumer reading the same records on the same broker in the same
 * run (the baseline: the fastest any scan of the topic can go).
 *
 * <pre>
 * mvn -q -o -pl query-api -am -Pbench verify -DskipTests -Dbench.skipCatchUp=true -Dbench=FlowQueryBenchmark -Dbench.args="10000 15 3"
 * </pre>
 * Arguments: flows per second of history, minutes of history, partitions.
 */
public final class FlowQueryBenchmark {

    private static final String TOPIC = "bench.flows";

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long total = (long) rate * minutes * 60;
        Path dir = Files.createTempDirectory("flow-query-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir))) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Instant end = Instant.now();
            Instant start = end.minus(Duration.ofMinutes(minutes));
            System.out.printf("Loading %,d flows (%,d flows/s over %d minutes) into %d partitions...%n", total, rate, minutes, partitions);
            long loadStart = System.nanoTime();
            load(bootstrap, start, rate, total);
            System.out.printf("Loaded in %.1f s%n%n", (System.nanoTime() - loadStart) / 1e9);

            double baseline = plainConsumerRate(bootstrap, partitions);
            System.out.printf("%-58s %12s %14s %14s %8s%n", "query (last " + minutes + " min)", "time ms", "scanned", "scanned/s", "vs plain");
            System.out.printf("%-58s %12s %14s %,14.0f %8s%n", "baseline: plain KafkaConsumer, whole topic", "-", String.format("%,d", total), baseline, "1.00");
            try (FlowSearch search = new FlowSearch(Map.of("bootstrap.servers", bootstrap), TOPIC, 1, 2_000)) {
                // Warm the consumer (metadata, connections) once.
                search.search(new FlowQuery(start, end, 10, true, FlowFilter.ALL, null));
                run(search, "newest 100, no filter", start, end, true, FlowFilter.ALL, baseline);
                run(search, "newest 100 dropped in namespace shop", start, end, true,
                        filter("verdict", "dropped", "namespace", "shop"), baseline);
                run(search, "newest 100 POLICY_DENIED to port 6379 (1 flow in 1,950)", start, end, true,
                        filter("drop_reason", "POLICY_DENIED", "port", "6379"), baseline);
                run(search, "oldest 100 to port 6379", start, end, false, filter("port", "6379"), baseline);
                run(search, "a filter nothing matches (reads every record)", start, end, true, filter("node", "no-such-node"), baseline);
            }
        }
    }

    private static FlowFilter filter(String... kv) {
        Map<String, String> params = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        return FlowFilter.parse(params::get);
    }

    private static void run(FlowSearch search, String name, Instant since, Instant until, boolean newest, FlowFilter filter,
                            double baseline) throws InterruptedException {
        long t = System.nanoTime();
        FlowPage page = search.search(new FlowQuery(since, until, 100, newest, filter, null));
        double seconds = (System.nanoTime() - t) / 1e9;
        double rate = page.scanned() / seconds;
        System.out.printf("%-58s %,12.0f %,14d %,14.0f %8.2f   (%d flows)%n", name, seconds * 1000, page.scanned(), rate,
                rate / baseline, page.flows().size());
    }

    private static void load(String bootstrap, Instant start, int rate, long total) throws Exception {
        String[] namespaces = {"shop", "data", "payments", "kube-system", "monitoring"};
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "linger.ms", 20,
                "batch.size", 256 * 1024, "compression.type", "lz4", "acks", "1"), new StringSerializer(), new ByteArraySerializer())) {
            long startMs = start.toEpochMilli();
            for (long i = 0; i < total; i++) {
                long timeMs = startMs + i * 1000 / rate;
                boolean dropped = i % 50 == 0;
                FlowRecord flow = FlowRecord.newBuilder()
                        .setTimeUnixNanos(timeMs * 1_000_000L + i % 1_000_000)
                        .setVerdict(dropped ? Verdict.DROPPED : Verdict.FORWARDED)
                        .setDropReason(dropped ? (i % 150 == 0 ? DropReason.POLICY_DENIED : DropReason.CT_MISSING_TCP_ACK_FLAG)
                                : DropReason.DROP_REASON_UNKNOWN)
                        .setSource(EndpointRef.newBuilder().setNamespace(namespaces[(int) (i % 5)]).setPod("app-" + (i % 40) + "-x2x9k")
                                .setWorkloadKind("Deployment").setWorkloadName("app-" + (i % 40)).setIp("10.0." + (i % 40) + ".7"))
                        .setDestination(EndpointRef.newBuilder().setNamespace(namespaces[(int) ((i / 5) % 5)]).setPod("svc-" + (i % 13) + "-0")
                                .setWorkloadKind("StatefulSet").setWorkloadName("svc-" + (i % 13)).setIp("10.1." + (i % 13) + ".9"))
                        .setProtocol(L4Protocol.TCP).setDestinationPort(i % 13 == 0 ? 6379 : 8080)
                        .setNodeName("node-" + (i % 10)).setIsReply(false).setUuid("f-" + i)
                        .build();
                producer.send(new ProducerRecord<>(TOPIC, null, timeMs, EdgeKey.of(flow).text(), flow.toByteArray()));
            }
            producer.flush();
        }
    }

    /** Records/s of a plain consumer reading every partition from start to end, decoding nothing. */
    private static double plainConsumerRate(String bootstrap, int partitions) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "max.poll.records", 2_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long target = end.values().stream().mapToLong(Long::longValue).sum();
            long read = 0;
            long t = System.nanoTime();
            while (read < target) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
            return read / ((System.nanoTime() - t) / 1e9);
        }
    }
}
