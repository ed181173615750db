package io.hubbletopology.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the broker role listens and keeps its data.
 *
 * @param host       the address clients connect to (and the broker advertises)
 * @param port       the client port of the first node; 0 picks a free one (one node only)
 * @param dataDir    the log directory; reused across restarts, formatted on first use
 * @param partitions the default partition count for topics created without one
 * @param nodes      how many KRaft nodes (each broker and controller); node i listens on {@code port + i}
 */
public record BrokerSettings(String host, int port, Path dataDir, int partitions, int nodes) {

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
        if (nodes > 1 && port == 0) {
            // The quorum's voters are fixed at format time: every node needs a port that stays across restarts.
            throw new IllegalArgumentException("port must be given (not 0) for a cluster of " + nodes + " nodes");
        }
        if (nodes > 1 && port + 2 * nodes - 1 > 65535) {
            throw new IllegalArgumentException("ports " + port + ".." + (port + 2 * nodes - 1) + " do not fit below 65536");
        }
    }

    /** One node. */
    public BrokerSettings(String host, int port, Path dataDir, int partitions) {
        this(host, port, dataDir, partitions, 1);
    }

    /** A broker on loopback with a free port. */
    public static BrokerSettings loopback(Path dataDir) {
        return new BrokerSettings("127.0.0.1", 0, dataDir, 3);
    }

    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(host, newPort, dataDir, partitions, nodes);
    }
}
