package io.hubbletopology.deploy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.topics.TopicNames;

/**
 * Flow to live map latency as a user gets it with every setting at its default: the roles started as the README
 * starts them ({@link ReplayPipeline}), flows written to {@code ingest --replay -} as {@code hubble observe -o json
 * --follow | java -jar hubble-topology.jar ingest --replay -} does, and a {@code /ws/topology} client. Per step, other
 * flows at a rate over {@value ReplayFeeder#LOAD_EDGES} edges, and 20 probe flows a second over four edges of their
 * own; each probe's time is taken where it is seen (the flows topic, the live topic, the edge updates topic, the
 * WebSocket), so the figures say where the time goes. Kafka's EndToEndLatency on the same broker, in the same
 * run, is the floor. Prints the load average beside each step: the machine may be shared.
 *
 * <pre>
 * mvn -q -o -pl deploy -am package -DskipTests
 * mvn -q -o -pl deploy dependency:build-classpath -Dmdep.outputFile=/tmp/deploy-cp.txt -Dmdep.includeScope=test
 * cd deploy &amp;&amp; java -cp target/test-classes:target/classes:$(cat /tmp/deploy-cp.txt) \
 *     io.hubbletopology.deploy.bench.LiveLatencyBenchmark --loads 0,2000,10000 --warmup 10s --measure 30s
 * #   --processor "--commit-interval 100ms"   (flags added to the processor's command line)
 * </pre>
 */
public final class LiveLatencyBenchmark {

    private static final int PROBE_EDGES = 4;
    private static final int PROBES_PER_SECOND = 20;

    private LiveLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> loads = List.of(0, 2_000, 10_000);
        Duration warmup = Duration.ofSeconds(10);
        Duration measure = Duration.ofSeconds(30);
        String[] processor = new String[0];
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--loads" -> loads = Arrays.stream(args[i + 1].split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "--warmup" -> warmup = ConfigKey.parseDuration(args[i + 1]);
                case "--measure" -> measure = ConfigKey.parseDuration(args[i + 1]);
                case "--processor" -> processor = args[i + 1].trim().split("\\s+");
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--loads N,N,...  --warmup DURATION  --measure DURATION  --processor \"FLAGS\")");
            }
        }
        Path dir = Files.createTempDirectory("live-latency-bench");
        TopicNames topics = TopicNames.defaults();
        ProbeArrivals arrivals = new ProbeArrivals();
        System.out.println("Roles as the README starts them" + (processor.length == 0 ? ", every setting at its default"
                : ", processor with " + String.join(" ", processor)) + "; flows through ingest --replay - (stdin)");
        try (ReplayPipeline pipeline = new ReplayPipeline(dir, processor);
             ProbeWatchers watchers = new ProbeWatchers(arrivals, topics.flows(), topics.live(), topics.edgeUpdates())) {
            KafkaBaseline.Figures baseline = KafkaBaseline.measure(pipeline.kafka, "bench-baseline-producer", "bench-baseline-latency",
                    321, 50_000, 2_000);
            System.out.printf("Baseline on the same broker: EndToEndLatency (2,000 records one at a time, acks=all) avg %.2f ms, "
                    + "p50 %d ms, p99 %d ms%n%n", baseline.latencyAverage(), baseline.latencyP50(), baseline.latencyP99());
            watchers.followTopics(pipeline.kafka);
            watchers.connect(pipeline.wsUrl());
            warmUp(pipeline.feeder(), arrivals, watchers);

            System.out.println("  other    probes  unseen |   flow -> flows topic   |   flow -> live topic    |  flow -> /ws/topology   "
                    + "|  flow -> edges topic    | load average");
            System.out.println("flows/s   written         |  p50    p99    max ms   |  p50    p99    max ms   |  p50    p99    max ms   "
                    + "|  p50    p99    max ms   | 1 min");
            for (int load : loads) {
                step(pipeline.feeder(), arrivals, load, warmup, measure);
            }
        }
    }

    /** Probes on an edge of their own until one is on the live map: then every part is up. */
    private static void warmUp(ReplayFeeder feeder, ProbeArrivals arrivals, ProbeWatchers watchers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String target = ReplayFeeder.probeTarget(PROBE_EDGES + 1);
        while (watchers.liveFlows().keySet().stream().noneMatch(k -> k.startsWith(target + "@"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no flow reached the live map within 2 minutes");
            }
            probe(feeder, arrivals, PROBE_EDGES + 1, "warm-up-" + System.nanoTime());
            feeder.flush();
            Thread.sleep(500);
        }
    }

    private static void step(ReplayFeeder feeder, ProbeArrivals arrivals, int load, Duration warmup, Duration measure)
            throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        long[] window = new long[2];
        Thread writer = new Thread(() -> {
            long start = System.nanoTime();
            long loads = 0;
            long probes = 0;
            int tick = 0;
            while (running.get()) {
                double seconds = (System.nanoTime() - start) / 1e9;
                Instant now = Instant.now();
                for (long due = (long) (seconds * load); loads < due; loads++) {
                    feeder.load(now);
                }
                List<Integer> written = new ArrayList<>();
                for (long due = (long) (seconds * PROBES_PER_SECOND); probes < due; probes++) {
                    int target = (int) (probes % PROBE_EDGES);
                    feeder.probe(target, now, "probe-" + load + "-" + probes);
                    written.add(target);
                }
                feeder.flush();
                long flushed = System.nanoTime();
                long ms = now.toEpochMilli();
                written.forEach(t -> arrivals.written(ReplayFeeder.probeTarget(t), ms - Math.floorMod(ms, 60_000L), flushed));
                tick++;
                sleepUntil(start + tick * 5_000_000L);
            }
        }, "replay-writer");
        writer.start();
        Thread.sleep(warmup.toMillis());
        window[0] = System.nanoTime();
        Thread.sleep(measure.toMillis());
        window[1] = System.nanoTime();
        running.set(false);
        writer.join();
        // Late probes of the step: up to 10 s to be seen.
        Thread.sleep(10_000);
        Map<ProbeArrivals.Stage, List<Double>> latencies = arrivals.latencies(window[0], window[1]);
        int written = arrivals.written(window[0], window[1]);
        List<Double> websocket = latencies.get(ProbeArrivals.Stage.WEBSOCKET);
        System.out.printf("%7d %9d %7d | %s | %s | %s | %s | %s%n", load, written, written - websocket.size(),
                figures(latencies.get(ProbeArrivals.Stage.FLOWS_TOPIC)), figures(latencies.get(ProbeArrivals.Stage.LIVE_TOPIC)),
                figures(websocket), figures(latencies.get(ProbeArrivals.Stage.EDGES_TOPIC)), loadAverage());
    }

    private static void probe(ReplayFeeder feeder, ProbeArrivals arrivals, int target, String uuid) {
        Instant now = Instant.now();
        feeder.probe(target, now, uuid);
        long ms = now.toEpochMilli();
        arrivals.written(ReplayFeeder.probeTarget(target), ms - Math.floorMod(ms, 60_000L), System.nanoTime());
    }

    private static String figures(List<Double> ms) {
        return String.format("%5.0f  %5.0f  %5.0f     ", ProbeArrivals.percentile(ms, 50), ProbeArrivals.percentile(ms, 99),
                ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
