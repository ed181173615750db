package io.hubbletopology.deploy.roles;

import java.util.List;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * Where the simulated Hubble listens and what cluster it simulates ({@code hubble-sim}, and the demo's Hubble).
 *
 * <pre>{@code
 * SimulatedHubbleSettings sim = SimulatedHubbleSettings.from(ConfigValues.of(Map.of("hubble_sim.seed", "7")));
 * }</pre>
 *
 * @param host           the address to listen on
 * @param port           the gRPC port; 0 picks a free one
 * @param flowsPerSecond flows the simulated cluster emits per second; null: its nodes' rate
 *                       ({@link SyntheticCluster#naturalFlowsPerSecond()})
 * @param seed           seed of the simulated cluster: the same seed, the same cluster
 * @param workloads      workloads on the map of the simulated cluster
 */
public record SimulatedHubbleSettings(String host, int port, Double flowsPerSecond, long seed, int workloads) {

    public static final ConfigKey<String> HOST = ConfigKey.string("hubble_sim.host", null, "127.0.0.1",
            "Address to listen on.").withOption("--host", "HOST");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("hubble_sim.port", null, "4245", 0, 65_535,
            "gRPC port (0 picks a free one).").withOption("--port", "PORT");
    public static final ConfigKey<Double> FLOWS_PER_SECOND = new ConfigKey<>("hubble_sim.flows_per_second", null, null,
            "Flows the simulated cluster emits per second, all its nodes together; unset: 200 per three simulated nodes"
                    + " (a node per 20 workloads, at least three), so 200 for the default cluster and about 3,333 for"
                    + " 1,000 workloads.", SimulatedHubbleSettings::positiveRate)
            .withOption("--flows-per-second", "RATE");
    public static final ConfigKey<Long> SEED = new ConfigKey<>("hubble_sim.seed", null, "42",
            "Seed of the simulated cluster.", SimulatedHubbleSettings::seed).withOption("--seed", "SEED");

    public static final ConfigKey<Integer> WORKLOADS = ConfigKey.integer("hubble_sim.workloads", null,
            String.valueOf(SyntheticCluster.DEFAULT_WORKLOADS), 1, SyntheticCluster.MAX_WORKLOADS,
            "Workloads on the map of the simulated cluster (pods' workloads and the peers outside them). "
                    + SyntheticCluster.DEFAULT_WORKLOADS + " is the demo's small hand-drawn cluster; any other number a"
                    + " generated one: about sqrt(N)/2 namespaces of frontends, APIs, backends and datastores, shared"
                    + " CoreDNS and monitoring, about 10 edges per workload.").withOption("--workloads", "N");

    public static List<ConfigKey<?>> keys() {
        return List.of(HOST, PORT, FLOWS_PER_SECOND, SEED, WORKLOADS);
    }

    /** Reads and checks every key once; throws {@link ConfigException} naming the first bad one. */
    public static SimulatedHubbleSettings from(ConfigValues values) {
        return new SimulatedHubbleSettings(values.get(HOST), values.get(PORT), values.get(FLOWS_PER_SECOND), values.get(SEED),
                values.get(WORKLOADS));
    }

    private static double positiveRate(String text) {
        double rate;
        try {
            rate = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("must be positive, was '" + text + "'");
        }
        return rate;
    }

    private static long seed(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
    }
}
