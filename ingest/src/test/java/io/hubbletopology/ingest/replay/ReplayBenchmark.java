package io.hubbletopology.ingest.replay;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.tools.ProducerPerformance;

import com.google.protobuf.util.JsonFormat;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.ingest.IngestAgent;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.ingest.publish.TopicLeaders;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicProvisioner;

/**
 * The replay's benchmark, not a test (it is not run by {@code mvn verify}). In one run:
 * <ol>
 *   <li>parsing: {@code hubble observe -o json} lines (SyntheticCluster flows printed as the CLI prints them) read
 *       by the streaming {@link ReplayLines} from their UTF-8 bytes (as the replay reads them) and from Strings, and
 *       by the former {@code JsonFormat} parser, in turn, on this thread; lines per second of this thread's CPU time
 *       (ThreadMXBean), so per core;</li>
 *   <li>the replay source alone (file, lines, parsing, the default filters, FlowRecord), into counting sinks, in
 *       wall time and in the process's CPU time (the replay parses on a thread of its own);</li>
 *   <li>end to end: a file of those lines replayed by {@link IngestAgent} as {@code ingest --replay FILE} runs it
 *       (default settings, health port off) into an embedded broker, timed until Kafka acknowledged the last
 *       flow, next to Kafka's ProducerPerformance on the same broker at the mean record size and the agent's
 *       producer settings.</li>
 * </ol>
 * Run (see BENCHMARKS.md):
 * <pre>
 * mvn -o -q -pl ingest -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/ingest-cp.txt -Dmdep.includeScope=test
 * java -cp ingest/target/test-classes:ingest/target/classes:$(cat /tmp/ingest-cp.txt) io.hubbletopology.ingest.replay.ReplayBenchmark
 * </pre>
 */
public final class ReplayBenchmark {

    private static final int LINES = Integer.getInteger("bench.lines", 400_000);
    // Distinct lines held in memory for the parsing part, cycled through (400,000 would be ~400 MB of strings).
    private static final int DISTINCT = 40_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("replay-bench");
        List<String> lines = hubbleObserveLines(DISTINCT, 0);
        System.out.printf("%n== Parsing: %,d distinct hubble observe -o json lines, mean %d chars, this thread's CPU time%n",
                lines.size(), lines.stream().mapToInt(String::length).sum() / lines.size());
        parsing(lines);

        Path file = dir.resolve("flows.json");
        writeLines(file, LINES);
        System.out.printf("%n== Replay path without Kafka, wall and process CPU time%n");
        replayWithoutKafka(file);
        System.out.printf("%n== End to end: ingest --replay %s, %,d lines (%,d MB), embedded broker in this JVM%n",
                file.getFileName(), LINES, Files.size(file) >> 20);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir.resolve("kafka")))) {
            endToEnd(broker.bootstrapServers(), file);
        }
    }

    private static void parsing(List<String> lines) throws Exception {
        List<byte[]> utf8 = lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        LineParser fromBytes = i -> {
            byte[] line = utf8.get(i);
            return ReplayLines.parse(line, 0, line.length, ReplaySource.MAX_LINE_CHARS);
        };
        LineParser fromText = i -> ReplayLines.parse(lines.get(i));
        LineParser jsonFormat = i -> JsonFormatReplayLines.parse(lines.get(i));
        // Warm-up: the parsers compiled before anything is timed (on a loaded machine the JIT needs a while).
        rate(lines.size(), 300_000, fromBytes);
        rate(lines.size(), 300_000, fromText);
        rate(lines.size(), 60_000, jsonFormat);
        double[] bytes = new double[ROUNDS];
        double[] text = new double[ROUNDS];
        double[] former = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            bytes[round] = rate(lines.size(), 200_000, fromBytes);
            text[round] = rate(lines.size(), 200_000, fromText);
            former[round] = rate(lines.size(), 40_000, jsonFormat);
            System.out.printf("round %d: streaming from bytes %,9.0f | from String %,9.0f | JsonFormat %,8.0f lines/s per core | %5.1fx%n",
                    round + 1, bytes[round], text[round], former[round], bytes[round] / former[round]);
        }
        System.out.printf("median:  streaming from bytes %,9.0f | from String %,9.0f | JsonFormat %,8.0f lines/s per core | %5.1fx%n",
                median(bytes), median(text), median(former), median(bytes) / median(former));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * The whole replay source (file, lines, parse, filters, FlowRecord) into counting sinks, no Kafka: wall time, and
     * the CPU time of the whole process (the replay's reading thread, this one, the JIT and the collector).
     */
    private static void replayWithoutKafka(Path file) throws Exception {
        IngestConfig config = IngestConfig.of(Map.of(IngestConfig.REPLAY_FILE.name(), file.toString()));
        long[] records = new long[1];
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        ReplayResult result;
        try (var in = ReplaySource.open(file.toString())) {
            result = new ReplaySource("bench", in, config.hubble().whitelist(), config.hubble().blacklist(), "bench-node",
                    flow -> records[0] += flow.getSerializedSize() > 0 ? 1 : 0, lost -> { }, IngestMetrics.inMemory()).run();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double seconds = (processCpuNanos() - cpu) / 1e9;
        System.out.printf("ReplaySource without Kafka: %,d lines (%,d flows kept, %,d left out by the default filters) in %.1f s"
                        + " = %,.0f lines/s; process CPU %.1f s = %,.0f lines/s per core%n", result.lines(), records[0], result.filtered(),
                wall, result.lines() / wall, seconds, result.lines() / seconds);
    }

    private interface LineParser {
        GetFlowsResponse parse(int index) throws MalformedLineException;
    }

    /** Lines per CPU-second of this thread, over {@code count} lines cycled from the {@code distinct} ones. */
    private static double rate(int distinct, int count, LineParser parser) throws MalformedLineException {
        long flows = 0;
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < count; i++) {
            flows += parser.parse(i % distinct).hasFlow() ? 1 : 0;
        }
        double seconds = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (flows != count) {
            throw new IllegalStateException("only " + flows + " of " + count + " lines held a flow");
        }
        return count / seconds;
    }

    private static void endToEnd(String kafka, Path file) throws Exception {
        IngestConfig config = IngestConfig.of(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka,
                IngestConfig.REPLAY_FILE.name(), file.toString(), IngestConfig.HEALTH_PORT.name(), "-1"));
        createTopics(config);
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        ReplayResult result;
        try (IngestAgent agent = new IngestAgent(config)) {
            agent.start();
            result = agent.replayDone().get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            double published = agent.metrics().flowsPublished().count();
            System.out.printf("agent: %,d lines in %.1f s = %,.0f lines/s; %,.0f flows published (%,d left out by the default filters,"
                            + " %,d malformed) = %,.0f published/s; process CPU %.1f s (agent and broker)%n",
                    result.lines(), seconds, result.lines() / seconds, published, result.filtered(), result.malformed(),
                    published / seconds, (processCpuNanos() - cpu) / 1e9);
            int recordSize = meanRecordSize(config.nodeName());
            double baseline = producerPerformance(kafka, config, (int) published, recordSize);
            System.out.printf("ProducerPerformance: %,.0f records/s (%,d records of %d bytes, the agent's producer settings)%n",
                    baseline, (long) published, recordSize);
            System.out.printf("ratio: agent published/s %.1f %% of ProducerPerformance; lines read/s %.1f %%%n",
                    100 * published / seconds / baseline, 100 * result.lines() / seconds / baseline);
        }
    }

    /** The agent's own topics, made beforehand as on a cluster where they exist, so only the replay is timed. */
    private static void createTopics(IngestConfig config) throws InterruptedException {
        try (Admin admin = Admin.create(config.clientProperties())) {
            TopicProvisioner provisioner = config.kafka().provisioner(admin);
            List<String> names = List.of(config.topics().flows(), config.topics().links(), config.topics().lostEvents());
            provisioner.ensure(List.of(provisioner.stream(names.get(0), config.flowsRetention().toMillis()),
                    provisioner.compacted(names.get(1)), provisioner.stream(names.get(2), config.flowsRetention().toMillis())), 30_000);
            TopicLeaders.await(admin, names, 30_000);
            provisioner.ensure(List.of(provisioner.stream("replay-bench-pp", config.flowsRetention().toMillis())), 30_000);
            TopicLeaders.await(admin, List.of("replay-bench-pp"), 30_000);
        }
    }

    private static double producerPerformance(String kafka, IngestConfig config, int records, int recordSize) throws Exception {
        List<String> argv = new ArrayList<>(List.of("--topic", "replay-bench-pp", "--num-records", String.valueOf(records),
                "--record-size", String.valueOf(recordSize), "--throughput", "-1", "--producer-props", "bootstrap.servers=" + kafka));
        config.producerProperties().forEach((key, value) -> {
            if (!key.endsWith(".serializer") && !key.equals("bootstrap.servers") && !key.equals("client.id")) {
                argv.add(key + "=" + value);
            }
        });
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(argv.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        String[] output = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        Matcher m = RATE.matcher(output[output.length - 1]);
        if (!m.find()) {
            throw new IllegalStateException("no rate in ProducerPerformance's output: " + output[output.length - 1]);
        }
        return Double.parseDouble(m.group(1));
    }

    private static int meanRecordSize(String node) {
        SyntheticCluster cluster = new SyntheticCluster(42);
        long bytes = 0;
        for (int i = 0; i < 10_000; i++) {
            bytes += FlowRecords.fromHubble(cluster.next(1_795_248_000_000_000_000L + i * 1_000L), node).getSerializedSize();
        }
        return (int) (bytes / 10_000);
    }

    /** SyntheticCluster flows as {@code hubble observe -o json} prints them: one GetFlowsResponse per line. */
    static List<String> hubbleObserveLines(int count, int offset) throws Exception {
        JsonFormat.Printer cli = JsonFormat.printer().omittingInsignificantWhitespace().preservingProtoFieldNames();
        SyntheticCluster cluster = new SyntheticCluster(42);
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Flow flow = cluster.next(1_795_248_000_000_000_000L + (offset + i) * 1_000L);
            lines.add(cli.print(GetFlowsResponse.newBuilder().setFlow(flow).setNodeName(flow.getNodeName()).setTime(flow.getTime()).build()));
        }
        return lines;
    }

    private static void writeLines(Path file, int count) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int done = 0; done < count; done += DISTINCT) {
                for (String line : hubbleObserveLines(Math.min(DISTINCT, count - done), done)) {
                    out.write(line);
                    out.write('\n');
                }
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
