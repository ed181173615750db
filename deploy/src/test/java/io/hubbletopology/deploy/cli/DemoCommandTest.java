package io.hubbletopology.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.roles.DemoSettings;

class DemoCommandTest {

    @Test
    void workloadsOutsideOneToFiveThousandExitWith2AndOneLineNamingTheKey() {
        for (String bad : new String[] {"0", "5001", "many"}) {
            CommandRun run = CommandRun.of("demo", "--workloads", bad);
            assertThat(run.exitCode()).as(bad).isEqualTo(2);
            assertThat(run.stderr().strip()).as(bad).startsWith("demo: invalid hubble_sim.workloads: ").doesNotContain("\n");
        }
    }

    @Test
    void theDemoIsTheTwelveWorkloadClusterAtItsNodesRateUnlessToldOtherwise() {
        DemoSettings defaults = DemoSettings.from(ConfigValues.of(Map.of()));
        assertThat(defaults.workloads()).isEqualTo(12);
        assertThat(defaults.flowsPerSecond()).as("unset: the cluster's own rate, 200 for the demo's").isNull();
        assertThat(DemoSettings.from(ConfigValues.of(Map.of("hubble_sim.workloads", "1000"))).workloads()).isEqualTo(1000);
    }
}
