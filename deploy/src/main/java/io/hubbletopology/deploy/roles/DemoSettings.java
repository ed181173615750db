package io.hubbletopology.deploy.roles;

import java.nio.file.Path;
import java.util.List;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.ingest.IngestConfig;

/**
 * What the {@code demo} lets one choose: the roles' own keys (the API's port, the simulated cluster, where the
 * interfaces are) and where the demo keeps its data.
 *
 * @param apiPort        the API's HTTP port
 * @param dataDir        where Kafka and the state stores keep data; null: a temporary directory, removed on exit
 * @param flowsPerSecond flows the simulated cluster emits per second; null: its nodes' rate
 * @param seed           seed of the simulated cluster
 * @param workloads      workloads on the map of the simulated cluster
 * @param sysfsRoot      where the interfaces are
 */
public record DemoSettings(int apiPort, Path dataDir, Double flowsPerSecond, long seed, int workloads, Path sysfsRoot) {

    public static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("demo.data_dir", null, null,
            "Where Kafka and the state stores keep data; unset: a temporary directory, removed on exit.", Path::of)
            .withOption("--data-dir", "DIR");

    public static List<ConfigKey<?>> keys() {
        return List.of(ApiSettings.PORT, DATA_DIR, SimulatedHubbleSettings.FLOWS_PER_SECOND, SimulatedHubbleSettings.SEED,
                SimulatedHubbleSettings.WORKLOADS, IngestConfig.SYSFS_ROOT);
    }

    /** Reads and checks every key once; throws {@link ConfigException} naming the first bad one. */
    public static DemoSettings from(ConfigValues values) {
        return new DemoSettings(values.get(ApiSettings.PORT), values.get(DATA_DIR),
                values.get(SimulatedHubbleSettings.FLOWS_PER_SECOND), values.get(SimulatedHubbleSettings.SEED),
                values.get(SimulatedHubbleSettings.WORKLOADS), values.get(IngestConfig.SYSFS_ROOT));
    }
}
