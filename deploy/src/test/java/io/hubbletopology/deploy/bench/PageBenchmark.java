package io.hubbletopology.deploy.bench;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * The live map at size (BENCHMARKS.md, "Page at size"): the runnable jar's {@code demo --workloads N} as a user
 * starts it, its page in real headless Chromium, and per run: the time to the first full draw, frame times over the
 * measured seconds while updates stream, the page's JS heap, the feed's edge updates per second, and the demo's
 * CPU and heap. Baseline in the same run: the same measurements on the default 12-workload demo.
 *
 * <pre>
 * mvn -q -o -pl deploy -am -Ppage-bench verify -DskipTests -Dbench.args="--workloads 1000 --seconds 20"
 * # --screenshot ../docs/images/page-1000-workloads.png saves the page at N workloads once measured
 * </pre>
 */
public final class PageBenchmark {

    private static final Duration FULL_TOPOLOGY = Duration.ofSeconds(240);
    private static final Duration FULL_DRAW = Duration.ofSeconds(180);
    /** How long after the demo's start the page is opened a second time, in a fresh browser. */
    private static final Duration AGAIN_AFTER = Duration.ofSeconds(120);

    private PageBenchmark() {
    }

    record Run(int workloads, long apiNodes, long apiEdges, double apiFullSeconds, String source, long pageNodes,
               long pageEdges, double firstDrawMs, Object pageFirstDrawMs, PageMeter.Samples samples, double feedUpdatesPerSecond,
               Double pageUpdatesPerSecond, double demoCores, double demoHeapMaxMb, double demoHeapAfterGcMb,
               double againFirstDrawMs, double againAtSeconds) {
    }

    public static void main(String[] args) throws Exception {
        int workloads = 1_000;
        int seconds = 20;
        Path screenshot = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workloads" -> workloads = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--screenshot" -> screenshot = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--workloads N, --seconds S, --screenshot FILE)");
            }
        }
        if (!PageMeter.available()) {
            throw new IllegalStateException("needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
        }
        System.out.println("Page at size, " + Instant.now() + "; load average at start: " + loadAverage());
        List<Run> runs = new ArrayList<>();
        runs.add(measure(SyntheticCluster.DEFAULT_WORKLOADS, seconds, null));
        runs.add(measure(workloads, seconds, screenshot));
        System.out.println("load average at end: " + loadAverage());
        print(runs, seconds);
        System.exit(0);
    }

    private static Run measure(int workloads, int seconds, Path screenshot) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of("demo", "--api-port", String.valueOf(port)));
        if (workloads != SyntheticCluster.DEFAULT_WORKLOADS) {
            args.addAll(List.of("--workloads", String.valueOf(workloads)));
        }
        String api = "http://127.0.0.1:" + port;
        SyntheticCluster cluster = new SyntheticCluster(42, workloads);
        long started = System.nanoTime();
        try (JarProcess demo = JarProcess.start("page-bench-demo-" + workloads, "1g", args.toArray(String[]::new));
             ProcessMeter meter = attachWhenUp(demo)) {
            // The page is opened once the API has the whole cluster (all its workloads, nearly all its edges).
            JsonNode topology = awaitTopology(api, workloads, (long) (cluster.conversations() * 0.95), started);
            double apiFull = (System.nanoTime() - started) / 1e9;
            long apiNodes = topology.path("nodes").size();
            long apiEdges = topology.path("links").size();
            System.out.printf("%d workloads: the API has %d nodes and %d edges %.0f s after the start%n", workloads, apiNodes,
                    apiEdges, apiFull);
            try (PageMeter page = PageMeter.open(1600, 1000)) {
                FirstDraw first = firstDraw(page, api, workloads, apiNodes, apiEdges, "opened as the API had it all");
                Map<String, Object> stats = first.stats();
                double firstDraw = first.ms();
                try (EdgeUpdateCounter feed = EdgeUpdateCounter.connect("ws://127.0.0.1:" + port + "/ws/topology")) {
                    // The snapshot first: updates are counted from its end on.
                    TimeUnit.SECONDS.sleep(5);
                    long feedBefore = feed.edgeUpdates();
                    Object appliedBefore = page.stats().get("updatesApplied");
                    long cpuBefore = meter.cpuNanos();
                    meter.takeHeapMax();
                    page.startSampling();
                    long windowStart = System.nanoTime();
                    for (int s = 0; s < seconds * 2; s++) {
                        TimeUnit.MILLISECONDS.sleep(500);
                        meter.sampleHeap();
                    }
                    double window = (System.nanoTime() - windowStart) / 1e9;
                    PageMeter.Samples samples = page.stopSampling();
                    double cores = (meter.cpuNanos() - cpuBefore) / 1e9 / window;
                    double feedRate = (feed.edgeUpdates() - feedBefore) / window;
                    Object appliedAfter = page.stats().get("updatesApplied");
                    Double pageRate = appliedBefore instanceof Number a && appliedAfter instanceof Number b
                            ? (b.doubleValue() - a.doubleValue()) / window : null;
                    double heapMax = meter.takeHeapMax() / 1e6;
                    new ProcessBuilder("jcmd", String.valueOf(demo.pid()), "GC.run").redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
                    meter.sampleHeap();
                    double afterGc = meter.takeHeapMax() / 1e6;
                    System.out.printf("%d workloads: demo heap after a full GC %.0f MB; Hubble flows held (class histogram): %s%n",
                            workloads, afterGc, flowsHeld(demo.pid()));
                    if (screenshot != null) {
                        page.screenshot(screenshot);
                        System.out.println("screenshot: " + screenshot.toAbsolutePath().normalize());
                    }
                    Map<String, Object> end = page.stats();
                    page.close();
                    // A user opens the page on a cluster that has run a while, not at the demo's start: the same
                    // page again in a fresh browser (no cache) once the demo is past its first minute.
                    long sinceStart = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                    TimeUnit.SECONDS.sleep(Math.max(0, AGAIN_AFTER.toSeconds() - sinceStart));
                    double againAt = (System.nanoTime() - started) / 1e9;
                    FirstDraw again;
                    try (PageMeter fresh = PageMeter.open(1600, 1000)) {
                        again = firstDraw(fresh, api, workloads, apiNodes, apiEdges,
                                String.format("opened again in a fresh browser %.0f s after the start", againAt));
                    }
                    return new Run(workloads, apiNodes, apiEdges, apiFull, String.valueOf(end.get("source")), number(end, "nodes"),
                            number(end, "edges"), firstDraw, stats.get("firstDrawMs"), samples, feedRate, pageRate, cores,
                            heapMax, afterGc, again.ms(), againAt);
                }
            } finally {
                demo.signal("INT");
                demo.awaitExit(Duration.ofSeconds(30));
            }
        }
    }

    record FirstDraw(double ms, Map<String, Object> stats) {
    }

    /**
     * Loads the page and waits for its first full draw: every workload and 95 % of the API's edges drawn, not only
     * known. NaN if not within {@link #FULL_DRAW}. Prints it with the page's own marks.
     */
    private static FirstDraw firstDraw(PageMeter page, String api, int workloads, long apiNodes, long apiEdges, String when)
            throws Exception {
        long navigation = System.nanoTime();
        page.load(api + "/");
        Map<String, Object> stats = page.stats();
        double firstDraw = Double.NaN;
        while (System.nanoTime() - navigation < FULL_DRAW.toNanos()) {
            try {
                stats = page.stats();
            } catch (org.openqa.selenium.ScriptTimeoutException busy) {
                // The page's main thread did not run even this for 30 s: it is busy drawing; ask again.
                System.out.printf("%d workloads: page busy (a script waited 30 s) at %.0f s after navigation%n",
                        workloads, (System.nanoTime() - navigation) / 1e9);
                continue;
            }
            // Drawn, not only known: while a snapshot comes in the page holds its edges undrawn, and stats()
            // counts them already; "snapshot" turns true once they are drawn, and firstDrawMs is set in the frame
            // after, once that drawing is on the screen.
            boolean drawn = !stats.containsKey("snapshot")
                    || Boolean.TRUE.equals(stats.get("snapshot")) && stats.get("firstDrawMs") != null;
            if (drawn && number(stats, "nodes") >= apiNodes && number(stats, "edges") >= apiEdges * 0.95) {
                firstDraw = (System.nanoTime() - navigation) / 1e6;
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        System.out.printf("%d workloads, %s: page drew %d nodes and %d edges (%s), first full draw %s%n", workloads, when,
                number(stats, "nodes"), number(stats, "edges"), stats.get("source"),
                Double.isNaN(firstDraw) ? "not within " + FULL_DRAW.toSeconds() + " s" : String.format("%.0f ms", firstDraw));
        // Where the page's own time went (its clock starts at navigation): the feed's first message, the snapshot's
        // status received, the snapshot drawn.
        System.out.printf("%d workloads: page's own marks: first feed message %s ms, snapshot received %s ms, drawn %s ms;"
                        + " main thread in the feed's message handler %s ms, applying and drawing %s ms; waits given up %s%n",
                workloads, stats.get("snapshotFirstMs"), stats.get("snapshotInMs"), stats.get("firstDrawMs"),
                stats.get("readMs"), stats.get("applyMs"), stats.get("holdsExpired"));
        return new FirstDraw(firstDraw, stats);
    }

    private static ProcessMeter attachWhenUp(JarProcess demo) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return ProcessMeter.attach(demo.name(), demo.pid());
            } catch (Exception e) {
                if (System.nanoTime() > deadline || !demo.alive()) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }

    private static JsonNode awaitTopology(String api, int workloads, long edges, long started) throws Exception {
        JsonNode topology = null;
        while (System.nanoTime() - started < FULL_TOPOLOGY.toNanos()) {
            topology = Http.get(api + "/api/v1/topology").body();
            if (topology.path("nodes").size() >= workloads && topology.path("links").size() >= edges) {
                return topology;
            }
            TimeUnit.SECONDS.sleep(2);
        }
        throw new IllegalStateException("the API did not show " + workloads + " workloads and " + edges + " edges within "
                + FULL_TOPOLOGY.toSeconds() + " s; last: " + (topology == null ? "nothing" : topology.path("nodes").size()
                + " nodes, " + topology.path("links").size() + " edges"));
    }

    /** The instances of Hubble's Flow in the demo's heap and their shallow bytes: mostly the simulated Hubble's ring. */
    private static String flowsHeld(long pid) throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String histogram = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return histogram.lines().filter(l -> l.endsWith(" io.hubbletopology.hubble.flow.Flow")).map(String::strip)
                .findFirst().orElse("not found");
    }

    private static long number(Map<String, Object> stats, String key) {
        return stats.get(key) instanceof Number n ? n.longValue() : -1;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void print(List<Run> runs, int seconds) {
        System.out.println();
        System.out.println("  workloads |  API nodes  edges   full s | page nodes  edges  (from)   first draw ms | frames  p50 ms  p95 ms"
                + "  p99 ms  max ms | JS heap max / end MB | feed edge upd/s  page applied/s | demo CPU cores  heap max / after GC MB"
                + " | first draw again ms");
        for (Run r : runs) {
            PageMeter.Samples s = r.samples();
            System.out.printf("  %9d | %10d %6d %8.0f | %10d %6d %8s %13s | %6d %7.1f %7.1f %7.1f %7.1f | %9.1f / %6.1f     | %15.0f %15s | %14.2f  %9.0f / %6.0f | %8s at %3.0f s%n",
                    r.workloads(), r.apiNodes(), r.apiEdges(), r.apiFullSeconds(), r.pageNodes(), r.pageEdges(), r.source(),
                    Double.isNaN(r.firstDrawMs()) ? "not reached" : String.format("%.0f", r.firstDrawMs())
                            + (r.pageFirstDrawMs() == null ? "" : " (page " + r.pageFirstDrawMs() + ")"),
                    s.frameMs().size(), s.percentile(50), s.percentile(95), s.percentile(99), s.percentile(100),
                    s.heapMaxMb(), s.heapEndMb(), r.feedUpdatesPerSecond(),
                    r.pageUpdatesPerSecond() == null ? "n/a" : String.format("%.0f", r.pageUpdatesPerSecond()),
                    r.demoCores(), r.demoHeapMaxMb(), r.demoHeapAfterGcMb(),
                    Double.isNaN(r.againFirstDrawMs()) ? "not reached" : String.format("%.0f", r.againFirstDrawMs()), r.againAtSeconds());
        }
        System.out.println("(frames: requestAnimationFrame deltas over " + seconds + " s while updates stream; the first row is the"
                + " baseline, the default 12-workload demo, measured in the same run; first draw again: the page opened in a"
                + " fresh browser once the demo has run " + AGAIN_AFTER.toSeconds() + " s)");
    }
}
