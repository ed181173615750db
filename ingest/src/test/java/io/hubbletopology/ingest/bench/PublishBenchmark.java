package io.hubbletopology.ingest.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.tools.ProducerPerformance;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.ingest.publish.FlowPublisher;
import io.hubbletopology.ingest.publish.TopicLeaders;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;
import io.hubbletopology.topics.TopicProvisioner;

/**
 * The ingest agent's benchmark, not a test (it is not run by {@code mvn verify}). In one run, against one
 * embedded broker in this JVM:
 * <ol>
 *   <li>the agent's encode-and-publish rate for synthetic flows (Hubble Flow -> FlowRecord -> edge key ->
 *       protobuf bytes -> idempotent acks=all producer), next to Kafka's own ProducerPerformance at the same
 *       record size and producer settings, and the ratio;</li>
 *   <li>the agent, in a child JVM with {@code -Xmx128m}, following a simulated Hubble at 1,500 flows/s over
 *       gRPC: its heap after GC and its CPU (fraction of one core).</li>
 * </ol>
 * Run (see BENCHMARKS.md):
 * <pre>
 * mvn -o -q -pl ingest -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/ingest-cp.txt -Dmdep.includeScope=test
 * java -cp ingest/target/test-classes:ingest/target/classes:$(cat /tmp/ingest-cp.txt) io.hubbletopology.ingest.bench.PublishBenchmark
 * </pre>
 */
public final class PublishBenchmark {

    private static final int RECORDS = Integer.getInteger("bench.records", 300_000);
    private static final int AGENT_SECONDS = Integer.getInteger("bench.agentSeconds", 40);
    private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");

    private PublishBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ingest-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir.resolve("kafka")))) {
            String kafka = broker.bootstrapServers();
            List<Flow> flows = synthetic(RECORDS);
            int recordSize = averageSize(flows);
            System.out.printf("%n== Encode and publish: %,d synthetic flows, average record %d bytes, 6 partitions, acks=all, idempotent%n",
                    RECORDS, recordSize);
            for (String compression : List.of("none", "lz4")) {
                createTopics(kafka, "bench-agent-" + compression + ".hubble.flows", "bench-pp-" + compression);
                double agent = agentRate(kafka, flows, compression);
                double baseline = producerPerformance(kafka, "bench-pp-" + compression, recordSize, compression);
                System.out.printf("compression=%-4s agent %,10.0f flows/s | ProducerPerformance %,10.0f records/s | ratio %5.1f %%%n",
                        compression, agent, baseline, 100 * agent / baseline);
            }
            System.out.printf("%n== Agent following a simulated Hubble at 1,500 flows/s over gRPC (child JVM, -Xmx128m), %d s%n", AGENT_SECONDS);
            agentAtSteadyRate(kafka);
        }
    }

    private static List<Flow> synthetic(int n) {
        SyntheticCluster cluster = new SyntheticCluster(42);
        List<Flow> flows = new ArrayList<>(n);
        long t = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < n; i++) {
            flows.add(cluster.next(t + i * 1_000L));
        }
        return flows;
    }

    private static int averageSize(List<Flow> flows) {
        long bytes = 0;
        for (Flow f : flows) {
            bytes += FlowRecords.fromHubble(f, "bench-node").getSerializedSize();
        }
        return (int) (bytes / flows.size());
    }

    private static void createTopics(String kafka, String... names) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, 6, (short) 1);
            provisioner.ensure(java.util.Arrays.stream(names).map(n -> provisioner.stream(n, 3_600_000L)).toList(), 30_000);
            TopicLeaders.await(admin, List.of(names), 30_000);
        }
    }

    /** The agent's path: convert, key, encode, send; timed until Kafka acknowledged the last one. */
    private static double agentRate(String kafka, List<Flow> flows, String compression) {
        Map<String, Object> props = new HashMap<>(IngestConfig.of(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka,
                IngestConfig.COMPRESSION.name(), compression)).producerProperties());
        TopicNames topics = TopicNames.prefixed("bench-agent-" + compression + ".");
        // The bytes each flow arrived as: the agent keeps them as hubble_flow (ArrivedResponseMarshaller), so
        // encoding them is gRPC's side of the wire, not part of this path.
        List<com.google.protobuf.ByteString> asSent = flows.stream().map(Flow::toByteString).toList();
        try (FlowPublisher publisher = new FlowPublisher(props, topics, IngestMetrics.inMemory())) {
            // Warm up the producer (metadata, connections) with a few records of the same topic.
            for (int i = 0; i < 1_000; i++) {
                publisher.publish(FlowRecords.fromHubble(flows.get(i), "bench-node"));
            }
            publisher.flush();
            long start = System.nanoTime();
            for (int i = 0; i < flows.size(); i++) {
                publisher.publish(FlowRecords.fromHubble(flows.get(i), asSent.get(i), "bench-node"));
            }
            publisher.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            return flows.size() / seconds;
        }
    }

    /** Kafka's own tool, same broker, same record size, same producer settings; its summary line parsed. */
    private static double producerPerformance(String kafka, String topic, int recordSize, String compression) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(new String[] {"--topic", topic, "--num-records", String.valueOf(RECORDS),
                    "--record-size", String.valueOf(recordSize), "--throughput", "-1", "--producer-props",
                    "bootstrap.servers=" + kafka, "acks=all", "enable.idempotence=true", "compression.type=" + compression,
                    "linger.ms=20", "batch.size=131072", "buffer.memory=16777216"});
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        String[] lines = text.strip().split("\n");
        String summary = lines[lines.length - 1];
        Matcher m = RATE.matcher(summary);
        if (!m.find()) {
            throw new IllegalStateException("no rate in ProducerPerformance's output: " + summary);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void agentAtSteadyRate(String kafka) throws Exception {
        try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().flowsPerSecond(1_500).start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    AgentProcess.class.getName(), kafka, "127.0.0.1:" + hubble.port(), String.valueOf(AGENT_SECONDS))
                    .redirectErrorStream(true).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("agent ")) {
                        System.out.println(line);
                    }
                }
            }
            child.waitFor();
            System.out.printf("simulated Hubble emitted %,d flows%n", hubble.emitted());
        }
    }

    /** Waits out a duration; here so the child's main stays readable. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
