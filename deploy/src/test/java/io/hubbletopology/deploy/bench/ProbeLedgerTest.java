package io.hubbletopology.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeLedgerTest {

    private static final long MS = 1_000_000L;

    @Test
    void anUpdateCountingSeveralProbesGivesEachItsOwnLatency() {
        ProbeLedger ledger = oneMinuteLedger(emitted(0, 120_000, 1_000 * MS), emitted(0, 120_010, 1_010 * MS), emitted(0, 120_020, 1_020 * MS));

        // The first update counts two probes; the third is counted by a later one.
        ledger.counted(0, 120_000, 2, 1_100 * MS);
        ledger.counted(0, 120_000, 2, 1_150 * MS);
        ledger.counted(0, 120_000, 3, 1_200 * MS);

        ProbeLedger.Sample sample = ledger.sample(0, 2_000 * MS);
        assertThat(sample.emitted()).isEqualTo(3);
        assertThat(sample.unseen()).isZero();
        assertThat(sample.latencies()).containsExactly(90 * MS, 100 * MS, 180 * MS);
        assertThat(sample.percentileMillis(50)).isEqualTo(100.0);
        assertThat(sample.maxMillis()).isEqualTo(180.0);
    }

    @Test
    void windowsAndEdgesAreCountedApart() {
        ProbeLedger ledger = oneMinuteLedger(emitted(0, 59_990, 10 * MS), emitted(0, 60_005, 20 * MS), emitted(1, 60_006, 30 * MS));

        // The new window of edge 0 has one flow: that is its first probe there, not the earlier window's.
        ledger.counted(0, 60_000, 1, 50 * MS);
        ledger.counted(2, 60_000, 1, 50 * MS);

        ProbeLedger.Sample sample = ledger.sample(0, 100 * MS);
        assertThat(sample.emitted()).isEqualTo(3);
        assertThat(sample.latencies()).containsExactly(30 * MS);
        assertThat(sample.unseen()).isEqualTo(2);
        assertThat(ledger.sample(15 * MS, 25 * MS).latencies()).containsExactly(30 * MS);
        assertThat(ledger.sample(0, 15 * MS).percentileMillis(99)).isNaN();
    }

    /** A probe flow of probe edge {@code edge}, with its flow time, emitted at {@code emittedNanos}. */
    private record Emitted(int edge, long flowTimeMillis, long emittedNanos) {
    }

    private static Emitted emitted(int edge, long flowTimeMillis, long emittedNanos) {
        return new Emitted(edge, flowTimeMillis, emittedNanos);
    }

    /** A ledger of one-minute windows to which these probes were emitted, in this order. */
    private static ProbeLedger oneMinuteLedger(Emitted... probes) {
        ProbeLedger ledger = new ProbeLedger(60_000);
        for (Emitted p : probes) {
            ledger.emitted(p.edge(), p.flowTimeMillis(), p.emittedNanos());
        }
        return ledger;
    }
}
