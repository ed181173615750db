package io.hubbletopology.deploy.roles;

import java.nio.file.Path;
import java.util.List;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;

/**
 * The keys of the {@code broker} role, read into the broker module's {@link BrokerSettings} (which knows nothing of
 * the config framework, so that every module's tests can start a broker).
 *
 * <pre>{@code
 * BrokerSettings settings = BrokerRoleSettings.from(ConfigValues.of(Map.of("broker.data_dir", "/var/lib/kafka")));
 * }</pre>
 */
public final class BrokerRoleSettings {

    public static final ConfigKey<String> HOST = ConfigKey.string("broker.host", null, "127.0.0.1",
            "Address to listen on and advertise.");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("broker.port", null, "9092", 0, 65_535,
            "Client port; 0 picks a free one.");
    public static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("broker.data_dir", null, null,
            "Where the broker keeps its data; reused across restarts.", Path::of);
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("broker.partitions", null, "3", 1, 10_000,
            "Default partitions of new topics.");

    private BrokerRoleSettings() {
    }

    public static List<ConfigKey<?>> keys() {
        return List.of(HOST, PORT, DATA_DIR, PARTITIONS);
    }

    /** Reads and checks every key once; throws {@link ConfigException} naming the first bad one. */
    public static BrokerSettings from(ConfigValues values) {
        Path dataDir = values.get(DATA_DIR);
        if (dataDir == null) {
            throw new ConfigException(DATA_DIR.name(), "missing " + DATA_DIR.name());
        }
        return new BrokerSettings(values.get(HOST), values.get(PORT), dataDir, values.get(PARTITIONS));
    }
}
