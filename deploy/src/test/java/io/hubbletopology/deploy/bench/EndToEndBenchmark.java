package io.hubbletopology.deploy.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;

import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.deploy.TestPorts;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;
import io.hubbletopology.topics.TopicProvisioner;

/**
 * The end-to-end benchmark (not a test; {@code mvn verify} does not run it). It runs the real pipeline as an
 * operator would on one machine: the broker, the processor with its API, and the ingest agent, each a process
 * of the runnable jar, the agent following a simulated Hubble server (in this JVM) over gRPC on loopback. It
 * raises the flow rate step by step and prints, per step, the offered, published and visible flows/s, the
 * processor's consumer lag, the latency from the moment the simulated Hubble emits a probe flow to the moment
 * a WebSocket client on {@code /ws/topology} receives the edge update that counts it, and each process's CPU
 * and heap. Kafka's own ProducerPerformance and EndToEndLatency, run first on the same broker, are the
 * baseline the figures are compared with.
 *
 * <pre>
 * mvn -q -pl deploy -am -Pe2e-bench verify -DskipTests -Dbench.args="--rates 5000,10000,20000"
 * </pre>
 */
public final class EndToEndBenchmark {

    private static final int PROBES_PER_SECOND = 50;
    private static final Duration DRAIN = Duration.ofSeconds(10);
    /** A step starts once every probe emitted longer ago than this is visible: the pipeline has caught up. */
    private static final Duration CAUGHT_UP = Duration.ofMillis(500);
    /** How long a step waits for that before it starts anyway (and says so). */
    private static final Duration CATCH_UP_WITHIN = Duration.ofSeconds(30);

    private final BenchSettings settings;
    private final TopicNames topics = TopicNames.defaults();
    private final List<ProcessMeter> meters = new ArrayList<>();
    private final List<JarProcess> roles = new ArrayList<>();

    private final PrintStream out;
    private final ResultTable table;
    private long resumedAt;

    EndToEndBenchmark(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.table = new ResultTable(out);
    }

    /**
     * What a run measured: the baseline, one result per step run, and over the whole run, once the simulated Hubble
     * stopped and the pipeline drained, the flows emitted and those the live feed counted.
     */
    record Report(KafkaBaseline.Figures baseline, List<StepResult> steps, long emittedInAll, long visibleInAll) {
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings;
        try {
            settings = BenchSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("e2e benchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        new EndToEndBenchmark(settings, System.out).run();
        System.exit(0);
    }

    Report run() throws Exception {
        Path dir = Files.createTempDirectory("e2e-bench");
        int brokerPort = TestPorts.next();
        int apiPort = TestPorts.next();
        int healthPort = TestPorts.next();
        String kafka = "127.0.0.1:" + brokerPort;
        out.printf("%n== End-to-end benchmark, %s, %d cores, %s%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                describe(settings));
        try {
            JarProcess broker = started(JarProcess.start("bench-broker", "1g", "broker", "--port", String.valueOf(brokerPort),
                    "--data-dir", dir.resolve("kafka").toString()));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
                awaitTrue("the broker to answer", Duration.ofSeconds(120), () -> answers(admin));
                KafkaBaseline.Figures baseline = baseline(admin, kafka);

                List<String> processorArgs = new ArrayList<>(List.of("processor", "--bootstrap-servers", kafka, "--api-host", "127.0.0.1",
                        "--api-port", String.valueOf(apiPort), "--state-dir", dir.resolve("state").toString(), "--partitions", String.valueOf(settings.partitions())));
                settings.commitInterval().ifPresent(commit -> processorArgs.addAll(List.of("--commit-interval", commit.toMillis() + "ms")));
                if (settings.exactlyOnce()) {
                    processorArgs.add("--exactly-once");
                }
                JarProcess processor = started(JarProcess.start("bench-processor", "1g", processorArgs.toArray(String[]::new)));
                awaitTrue("the processor to be ready", Duration.ofSeconds(120), () -> ready("http://127.0.0.1:" + apiPort + "/ready"));

                ProbeLedger ledger = new ProbeLedger(60_000);
                try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().ringCapacity(65_535).startPaused()
                        .flowsPerSecond(settings.rates().get(0)).source(new ProbeFlows(ledger, PROBES_PER_SECOND)).start()) {
                    JarProcess ingest = started(JarProcess.start("bench-ingest", "256m", "ingest", "--mode", "hubble",
                            "--bootstrap-servers", kafka, "--hubble-addr", "127.0.0.1:" + hubble.port(), "--node-name", "bench-node",
                            "--partitions", String.valueOf(settings.partitions()), "--health-port",
                            String.valueOf(healthPort)));
                    awaitTrue("the agent to follow the simulated Hubble", Duration.ofSeconds(60), () -> hubble.followers() > 0);
                    try (FeedWatcher feed = FeedWatcher.connect("ws://127.0.0.1:" + apiPort + "/ws/topology", ledger)) {
                        meters.add(ProcessMeter.self("hubble-sim+client"));
                        meters.add(ProcessMeter.attach("broker", broker.pid()));
                        meters.add(ProcessMeter.attach("processor", processor.pid()));
                        meters.add(ProcessMeter.attach("ingest", ingest.pid()));
                        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                            Thread t = new Thread(r, "heap-sampler");
                            t.setDaemon(true);
                            return t;
                        });
                        sampler.scheduleAtFixedRate(this::sampleHeaps, 0, 500, TimeUnit.MILLISECONDS);
                        hubble.resume();
                        resumedAt = System.nanoTime();
                        PipelineGauges gauges = new PipelineGauges(admin, topics.flows(), healthPort);
                        List<StepResult> results = steps(gauges, hubble, ledger, feed);
                        sampler.shutdownNow();
                        table.summary(results, baseline);
                        long[] totals = drained(hubble, feed);
                        // Over the whole run, the catch-up waits between steps included: the step lines count only their own.
                        long lost = (long) gauges.lostAtHubble();
                        out.printf("In all, once the simulated Hubble stopped and the pipeline drained: %,d flows emitted, %,d of them "
                                + "lost in Hubble's ring before the agent read them (lost_events), %,d counted on the live feed; "
                                + "%,d unaccounted for%n", totals[0], lost, totals[1], totals[0] - lost - totals[1]);
                        // The agent goes first, so the simulated Hubble does not close a stream under it.
                        stop(ingest);
                        return new Report(baseline, results, totals[0], totals[1]);
                    }
                }
            }
        } finally {
            for (ProcessMeter m : meters) {
                m.close();
            }
            for (int i = roles.size() - 1; i >= 0; i--) {
                stop(roles.get(i));
            }
            deleteRecursively(dir);
        }
    }

    /** The broker's log and the state stores of a run: gigabytes after the higher steps. */
    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void stop(JarProcess role) throws IOException, InterruptedException {
        if (!role.alive()) {
            return;
        }
        role.signal("TERM");
        if (role.awaitExit(Duration.ofSeconds(20)) != 0) {
            out.println("note: " + role.name() + " did not stop cleanly; its output is in target/it-processes/");
        }
        role.close();
    }

    private KafkaBaseline.Figures baseline(Admin admin, String kafka) throws Exception {
        SyntheticCluster cluster = new SyntheticCluster(42);
        long bytes = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            bytes += FlowRecords.fromHubble(cluster.next(System.currentTimeMillis() * 1_000_000L + i), "bench-node").getSerializedSize();
        }
        int recordSize = (int) (bytes / n);
        TopicProvisioner provisioner = new TopicProvisioner(admin, settings.partitions(), (short) 1);
        provisioner.ensure(List.of(provisioner.stream("baseline.producer", 3_600_000L), provisioner.stream("baseline.latency", 3_600_000L)),
                30_000);
        out.printf("Baseline on the same broker, before the roles start: ProducerPerformance, %,d records of %d bytes (a flow "
                + "record's average), lz4, acks=all, idempotent, linger 20 ms; EndToEndLatency, 2,000 records, acks=all%n",
                settings.baselineRecords(), recordSize);
        KafkaBaseline.Figures figures = KafkaBaseline.measure(kafka, "baseline.producer", "baseline.latency", recordSize,
                settings.baselineRecords(), 2_000);
        out.printf("  ProducerPerformance %,.0f records/s; EndToEndLatency avg %.2f ms, p50 %d ms, p99 %d ms%n%n",
                figures.producerRecordsPerSecond(), figures.latencyAverage(), figures.latencyP50(), figures.latencyP99());
        return figures;
    }

    private List<StepResult> steps(PipelineGauges gauges, SimulatedHubbleServer hubble, ProbeLedger ledger, FeedWatcher feed)
            throws Exception {
        table.header(meters.stream().map(ProcessMeter::name).toList());
        List<StepResult> results = new ArrayList<>();
        hubble.flowsPerSecond(settings.rates().get(0));
        Thread.sleep(settings.initialWarmup().toMillis());
        for (int rate : settings.rates()) {
            hubble.flowsPerSecond(rate);
            Thread.sleep(settings.warmup().toMillis());
            // Flows still on their way at t0 become visible within the step and count as the step's: a step that starts
            // while the pipeline works off a backlog (its own start, a rate change) shows more than was emitted; 3 s of
            // backlog make a 6 s step show 1.5 x. So a step starts once the pipeline has caught up.
            if (!caughtUp(ledger, resumedAt)) {
                out.printf("(the pipeline had not caught up after %d s at %,d flows/s: this step's visible rate includes its backlog)%n",
                        CATCH_UP_WITHIN.toSeconds(), rate);
            }
            requireRolesAlive();
            if (feed.closeReason() != null) {
                throw new IllegalStateException("the live feed closed: " + feed.closeReason());
            }
            long t0 = System.nanoTime();
            long emitted0 = hubble.emitted();
            long published0 = gauges.published();
            long visible0 = feed.visibleFlows();
            double lost0 = gauges.lostAtHubble();
            Map<String, Long> cpu0 = cpu();
            meters.forEach(ProcessMeter::takeHeapMax);
            Thread.sleep(settings.measure().toMillis());
            long t1 = System.nanoTime();
            long emitted1 = hubble.emitted();
            long published1 = gauges.published();
            long visible1 = feed.visibleFlows();
            Map<String, Long> cpu1 = cpu();
            Map<String, Long> heap = new LinkedHashMap<>();
            meters.forEach(m -> heap.put(m.name(), m.takeHeapMax() / (1024 * 1024)));
            long lag = gauges.lag();
            double lost1 = gauges.lostAtHubble();
            // The step's last probes are still on their way: give them a moment before reading their latencies.
            long drainUntil = System.nanoTime() + DRAIN.toNanos();
            while (System.nanoTime() - drainUntil < 0 && ledger.sample(t0, t1).unseen() > 0) {
                Thread.sleep(100);
            }
            double seconds = (t1 - t0) / 1e9;
            Map<String, Double> cores = new LinkedHashMap<>();
            cpu1.forEach((name, ns) -> cores.put(name, (ns - cpu0.get(name)) / 1e9 / seconds));
            StepResult step = new StepResult(rate, (emitted1 - emitted0) / seconds, (published1 - published0) / seconds,
                    (visible1 - visible0) / seconds, lag, (long) (lost1 - lost0), ledger.sample(t0, t1), cores, heap);
            results.add(step);
            table.row(step);
            if (!step.keptUp() && !settings.allSteps()) {
                out.println("(the pipeline fell behind at this rate: higher steps skipped; --all-steps runs them anyway)");
                break;
            }
        }
        return results;
    }

    // ---- measurements

    /** True once every probe emitted more than {@link #CAUGHT_UP} ago has been counted on the feed; false after the wait. */
    private static boolean caughtUp(ProbeLedger ledger, long since) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_WITHIN.toNanos();
        while (ledger.sample(since, System.nanoTime() - CAUGHT_UP.toNanos()).unseen() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Stops the simulated Hubble and waits until the feed's count has not grown for a few seconds (at most
     * {@link #DRAIN} x 3): then {emitted, counted} over the whole run compare flows without any timing in between.
     */
    private static long[] drained(SimulatedHubbleServer hubble, FeedWatcher feed) throws InterruptedException {
        // The simulated Hubble has no pause once resumed: a rate that emits nothing more (one flow in 10^300 s) stops it.
        hubble.flowsPerSecond(Double.MIN_NORMAL);
        Thread.sleep(100);
        long emitted = hubble.emitted();
        long deadline = System.nanoTime() + DRAIN.multipliedBy(3).toNanos();
        long last = -1;
        long still = System.nanoTime();
        while (System.nanoTime() - deadline < 0 && (feed.visibleFlows() < emitted || System.nanoTime() - still < 3_000_000_000L)) {
            long now = feed.visibleFlows();
            if (now != last) {
                last = now;
                still = System.nanoTime();
            }
            Thread.sleep(100);
        }
        return new long[] {emitted, feed.visibleFlows()};
    }

    private void sampleHeaps() {
        for (ProcessMeter m : meters) {
            try {
                m.sampleHeap();
            } catch (RuntimeException e) {
                // A process that is going away: its last samples stand.
            }
        }
    }

    private Map<String, Long> cpu() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        meters.forEach(m -> cpu.put(m.name(), m.cpuNanos()));
        return cpu;
    }

    // ---- plumbing

    private JarProcess started(JarProcess role) {
        roles.add(role);
        return role;
    }

    private static boolean answers(Admin admin) {
        try {
            admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean ready(String url) {
        try {
            return Http.get(url).status() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitTrue(String what, Duration within, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            requireRolesAlive();
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + within.toSeconds()
                        + " s; the roles' output is in target/it-processes/");
            }
            Thread.sleep(250);
        }
    }

    /** A role that exits during the run ends it, with the last lines it wrote. */
    private void requireRolesAlive() throws IOException {
        for (JarProcess role : roles) {
            if (!role.alive()) {
                List<String> lines = role.stderr().lines().toList();
                throw new IllegalStateException(role.name() + " exited; the end of its output:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        }
    }


    private static String describe(BenchSettings s) {
        return "steps " + s.rates() + " flows/s after " + s.initialWarmup().toSeconds() + " s at the first, " + s.warmup().toSeconds()
                + " s warm-up + " + s.measure().toSeconds() + " s measured each, " + s.partitions() + " partitions, processor commit "
                + s.commitInterval().map(c -> "every " + c.toMillis() + " ms").orElse("at its default") + ", "
                + (s.exactlyOnce() ? "exactly_once_v2" : "at_least_once") + ", " + PROBES_PER_SECOND + " probe flows/s";
    }
}
