package io.hubbletopology.deploy.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.EndToEndLatency;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Kafka's own tools on the benchmark's broker, as the baseline our figures are ratios of: ProducerPerformance
 * with the ingest agent's producer settings and record size (how many records/s this machine's broker takes
 * from one producer), and EndToEndLatency (one record at a time, produce with acks=all then consume: the
 * floor of any pipeline's latency through this broker).
 */
final class KafkaBaseline {

    private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");
    private static final Pattern PERCENTILES = Pattern.compile("50th = ([0-9]+), 99th = ([0-9]+), 99.9th = ([0-9]+)");
    private static final Pattern AVERAGE = Pattern.compile("Avg latency: ([0-9.]+) ms");

    /** The baseline figures; latencies in milliseconds. */
    record Figures(double producerRecordsPerSecond, double latencyAverage, long latencyP50, long latencyP99) {
    }

    private KafkaBaseline() {
    }

    static Figures measure(String kafka, String producerTopic, String latencyTopic, int recordSize, int records, int latencyRecords) {
        createTopics(kafka, producerTopic, latencyTopic);
        String producer = run(() -> ProducerPerformance.main(new String[] {"--topic", producerTopic, "--num-records",
                String.valueOf(records), "--record-size", String.valueOf(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + kafka, "acks=all", "enable.idempotence=true", "compression.type=lz4", "linger.ms=20",
                "batch.size=131072"}));
        String latency = run(() -> {
            // Its main ends with Kafka's Exit.exit: catch the code instead of ending this JVM.
            AtomicInteger exitCode = new AtomicInteger(-1);
            Exit.setExitProcedure((code, message) -> exitCode.set(code));
            try {
                EndToEndLatency.main(new String[] {"--bootstrap-server", kafka, "--topic", latencyTopic, "--num-records",
                        String.valueOf(latencyRecords), "--producer-acks", "all", "--record-size", String.valueOf(recordSize)});
            } finally {
                Exit.resetExitProcedure();
            }
            if (exitCode.get() != 0) {
                throw new IllegalStateException("EndToEndLatency exited with " + exitCode.get());
            }
        });
        Matcher rate = last(RATE, producer);
        Matcher percentiles = last(PERCENTILES, latency);
        Matcher average = last(AVERAGE, latency);
        return new Figures(Double.parseDouble(rate.group(1)), Double.parseDouble(average.group(1)),
                Long.parseLong(percentiles.group(1)), Long.parseLong(percentiles.group(2)));
    }

    /**
     * The tools' topics, one partition each, unless the caller made them: the broker role, as the README starts it,
     * creates no topic on first use, and the tools would wait for one until they time out.
     */
    private static void createTopics(String kafka, String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create the baseline topic " + topic + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the baseline topics", e);
        }
    }

    private interface Tool {
        void run() throws Exception;
    }

    /** Runs a tool that prints its figures, and returns what it printed. */
    private static String run(Tool tool) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            tool.run();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka's tool failed: " + e.getMessage() + "\n" + captured.toString(StandardCharsets.UTF_8), e);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static Matcher last(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        Matcher found = null;
        while (m.find()) {
            found = pattern.matcher(text);
            found.find(m.start());
        }
        if (found == null) {
            throw new IllegalStateException("no '" + pattern + "' in the tool's output:\n" + text);
        }
        return found;
    }
}
