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
    public static final ConfigKey<Integer> NODES = ConfigKey.integer("broker.nodes", "BROKER_NODES", "1", 1, 99,
            "KRaft nodes, each broker and controller in a process of its own on ports --port..--port+N-1 (the quorum on "
            + "the N ports after those); 1 runs the broker in this process.");

    private BrokerRoleSettings() {
    }

    public static List<ConfigKey<?>> keys() {
        return List.of(HOST, PORT, DATA_DIR, PARTITIONS, NODES);
    }

    /** Reads and checks every key once; throws {@link ConfigException} naming the first bad one. */
    public static BrokerSettings from(ConfigValues values) {
        Path dataDir = values.get(DATA_DIR);
        if (dataDir == null) {
            throw new ConfigException(DATA_DIR.name(), "missing " + DATA_DIR.name());
        }
        int port = values.get(PORT);
        int nodes = values.get(NODES);
        if (nodes > 1 && port == 0) {
            // The quorum's voters are fixed when the nodes are formatted: each needs a port that stays across restarts.
            throw new ConfigException(PORT.name(), PORT.name() + " must be given (not 0) for a cluster of " + nodes + " nodes");
        }
        if (nodes > 1 && port + 2 * nodes - 1 > 65_535) {
            throw new ConfigException(PORT.name(), "ports " + port + ".." + (port + 2 * nodes - 1) + " do not fit below 65536");
        }
        return new BrokerSettings(values.get(HOST), port, dataDir, values.get(PARTITIONS), nodes);
    }
}
