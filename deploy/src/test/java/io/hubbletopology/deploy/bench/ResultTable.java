package io.hubbletopology.deploy.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The benchmark's printed table: a header naming the measured processes, a row per step, and the summary. */
final class ResultTable {

    private final PrintStream out;

    ResultTable(PrintStream out) {
        this.out = out;
    }

    void header(List<String> processes) {
        String heads = processes.stream().map(name -> String.format("%10s", shortName(name))).collect(Collectors.joining());
        out.printf("%9s %9s %9s %9s %9s %8s %8s %8s %6s |%s |%s%n", "offered", "emitted", "published", "visible", "lag", "p50 ms",
                "p99 ms", "max ms", "unseen", heads, heads);
        out.printf("%9s %9s %9s %9s %9s %8s %8s %8s %6s |%s |%s%n", "flows/s", "flows/s", "flows/s", "flows/s", "flows", "", "",
                "", "probes", center("CPU, cores", heads.length()), center("heap used, max MB", heads.length()));
    }

    void row(StepResult s) {
        String cores = s.cores().values().stream().map(c -> String.format("%10.2f", c)).collect(Collectors.joining());
        String heap = s.heapMb().values().stream().map(h -> String.format("%10d", h)).collect(Collectors.joining());
        ProbeLedger.Sample l = s.latency();
        out.printf("%,9d %,9.0f %,9.0f %,9.0f %,9d %8.0f %8.0f %8.0f %6d |%s |%s%s%n", s.offered(), s.emitted(), s.published(),
                s.visible(), s.lag(), l.percentileMillis(50), l.percentileMillis(99), l.maxMillis(), l.unseen(), cores, heap,
                s.lostAtHubble() > 0 ? "  (Hubble's ring overflowed: " + s.lostAtHubble() + " flows lost before the agent read them)" : "");
    }

    void summary(List<StepResult> results, KafkaBaseline.Figures baseline) {
        out.println();
        StepResult best = null;
        for (StepResult r : results) {
            if (r.keptUp() && (best == null || r.visible() > best.visible())) {
                best = r;
            }
        }
        double peak = results.stream().mapToDouble(StepResult::visible).max().orElse(0);
        if (best != null) {
            out.printf("Sustained end to end: %,.0f flows/s (highest step kept up with), %.1f %% of ProducerPerformance's %,.0f records/s%n",
                    best.visible(), 100 * best.visible() / baseline.producerRecordsPerSecond(), baseline.producerRecordsPerSecond());
            double roles = best.cores().entrySet().stream().filter(e -> !e.getKey().startsWith("hubble-sim"))
                    .mapToDouble(Map.Entry::getValue).sum();
            out.printf("  at that step: %.2f cores in the broker, processor and ingest together, %,.0f flows per core-second; "
                    + "processor %,.0f, ingest %,.0f, broker %,.0f flows per CPU-second of its own%n", roles, best.visible() / roles,
                    best.visible() / best.cores().get("processor"), best.visible() / best.cores().get("ingest"),
                    best.visible() / best.cores().get("broker"));
        } else {
            out.println("No step kept up: the first step's rate is above what this machine carries end to end.");
        }
        out.printf("Highest visible rate in any step: %,.0f flows/s%n", peak);
        for (StepResult r : results) {
            if (r.offered() == 10_000) {
                double p99 = r.latency().percentileMillis(99);
                out.printf("Latency at 10,000 flows/s: p50 %.0f ms, p99 %.0f ms (%.0f x EndToEndLatency's p99 of %d ms), max %.0f ms%n",
                        r.latency().percentileMillis(50), p99, p99 / Math.max(1, baseline.latencyP99()), baseline.latencyP99(),
                        r.latency().maxMillis());
            }
        }
    }

    private static String shortName(String name) {
        return name.startsWith("hubble-sim") ? "sim+feed" : name;
    }

    private static String center(String text, int width) {
        int pad = Math.max(0, width - text.length());
        return " ".repeat(pad / 2) + text + " ".repeat(pad - pad / 2);
    }
}
