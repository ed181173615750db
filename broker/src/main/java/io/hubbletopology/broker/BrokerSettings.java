package io.hubbletopology.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.CommandLineOption;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;

/**
 * Where and how the broker role listens and keeps its data, with the keys it is read from: the {@code broker}
 * command's options and the brokers tests start in code ({@link #loopback}) take the same defaults.
 *
 * <pre>{@code
 * BrokerSettings settings = BrokerSettings.from(ConfigValues.of(Map.of("broker.data_dir", "/var/lib/kafka")));
 * }</pre>
 *
 * @param host       the address clients connect to (and the broker advertises)
 * @param port       the client port of the first node; 0 picks a free one (one node only)
 * @param dataDir    the log directory; reused across restarts, formatted on first use
 * @param partitions the default partition count for topics created without one
 * @param nodes      how many KRaft nodes (each broker and controller); node i listens on {@code port + i}
 */
public record BrokerSettings(String host, int port, Path dataDir, int partitions, int nodes) {

    public static final ConfigKey<String> HOST = ConfigKey.string("broker.host", null, "127.0.0.1",
            "Address to listen on and advertise.").withOption("--host", "HOST");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("broker.port", null, "9092", 0, 65_535,
            "Client port; 0 picks a free one.").withOption("--port", "PORT");
    public static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("broker.data_dir", null, null,
            "Where the broker keeps its data; reused across restarts.", Path::of)
            .withOption(CommandLineOption.of("--data-dir", "DIR").mandatory());
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("broker.partitions", null, "3", 1, 10_000,
            "Default partitions of new topics.").withOption("--partitions", "N");
    public static final ConfigKey<Integer> NODES = ConfigKey.integer("broker.nodes", "BROKER_NODES", "1", 1, 99,
            "KRaft nodes, each broker and controller in a process of its own on ports --port..--port+N-1 (the quorum on "
            + "the N ports after those); 1 runs the broker in this process.").withOption("--nodes", "N");

    public BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
        }
        String ports = portsProblem("port", port, nodes);
        if (ports != null) {
            throw new IllegalArgumentException(ports);
        }
    }

    /** One node. */
    public BrokerSettings(String host, int port, Path dataDir, int partitions) {
        this(host, port, dataDir, partitions, 1);
    }

    /** A broker on loopback with a free port, otherwise as the keys' defaults. */
    public static BrokerSettings loopback(Path dataDir) {
        return new BrokerSettings(HOST.defaultParsed(), 0, dataDir, PARTITIONS.defaultParsed());
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
        String ports = portsProblem(PORT.name(), port, nodes);
        if (ports != null) {
            throw new ConfigException(PORT.name(), ports);
        }
        return new BrokerSettings(values.get(HOST), port, dataDir, values.get(PARTITIONS), nodes);
    }

    /**
     * What is wrong with giving {@code nodes} nodes the ports from {@code port} on (each node a client port, then
     * each a quorum port), said of the setting named {@code portName}; null when nothing is.
     */
    private static String portsProblem(String portName, int port, int nodes) {
        if (nodes > 1 && port == 0) {
            // The quorum's voters are fixed when the nodes are formatted: each needs a port that stays across restarts.
            return portName + " must be given (not 0) for a cluster of " + nodes + " nodes";
        }
        if (nodes > 1 && port + 2 * nodes - 1 > 65_535) {
            return "ports " + port + ".." + (port + 2 * nodes - 1) + " (from " + portName + ") do not fit below 65536";
        }
        return null;
    }

    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(host, newPort, dataDir, partitions, nodes);
    }
}
