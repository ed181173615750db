package io.hubbletopology.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The end-to-end benchmark's driver, run small (one low step) so that it keeps working between the runs that
 * produce BENCHMARKS.md: the roles start as processes, Kafka's tools give a baseline, and every probe flow the
 * simulated Hubble emits is seen counted on the live feed. Nothing here asserts a performance figure.
 */
// Alone, not beside another test class (deploy/pom.xml): a benchmark: its figures mean something only on a machine of its own.
@Isolated
class EndToEndBenchmarkIT {

    @Test
    @Timeout(300)
    void measuresOneStepOfThePipelineEndToEnd() throws Exception {
        BenchSettings settings = BenchSettings.parse(new String[] {"--rates", "2000", "--initial-warmup", "5s", "--warmup", "2s",
                "--measure", "6s", "--partitions", "3", "--baseline-records", "20000"});
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        EndToEndBenchmark.Report report;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            report = new EndToEndBenchmark(settings, out).run();
        }
        String table = printed.toString(StandardCharsets.UTF_8);
        // The figures, for whoever reads a failure of this test.
        System.out.println(table);

        assertThat(report.baseline().producerRecordsPerSecond()).isPositive();
        assertThat(report.baseline().latencyP99()).isGreaterThanOrEqualTo(report.baseline().latencyP50());
        assertThat(report.steps()).hasSize(1);
        StepResult step = report.steps().get(0);
        assertThat(step.emitted()).isBetween(1_800.0, 2_200.0);
        // What the simulated Hubble emitted in the step became visible on the live feed, and no more. Within 10 %:
        // the step is measured between two moments that each have flows on their way, and the pipeline's latency at
        // its start and at its end differ by some tens of milliseconds (x 2,000 flows/s, over 6 s).
        assertThat(step.visible()).isBetween(step.emitted() * 0.9, step.emitted() * 1.1);
        // Over the whole run, stopped and drained, no timing is in between: each flow counted once, none twice.
        assertThat(report.visibleInAll()).isLessThanOrEqualTo(report.emittedInAll())
                .isGreaterThanOrEqualTo(report.emittedInAll() * 99 / 100);
        assertThat(step.latency().emitted()).isPositive();
        assertThat(step.latency().unseen()).isZero();
        assertThat(step.cores()).containsOnlyKeys("hubble-sim+client", "broker", "processor", "ingest");
        assertThat(step.cores().values()).allSatisfy(c -> assertThat(c).isPositive());
        assertThat(step.heapMb().values()).allSatisfy(h -> assertThat(h).isPositive());
        assertThat(table).contains("offered", "ProducerPerformance", "Sustained end to end");
    }
}
