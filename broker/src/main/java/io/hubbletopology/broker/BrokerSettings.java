package io.hubbletopology.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the embedded broker listens and keeps its data.
 *
 * @param host       the address clients connect to (and the broker advertises)
 * @param port       the client port; 0 picks a free one
 * @param dataDir    the log directory; reused across restarts, formatted on first use
 * @param partitions the default partition count for topics created without one
 */
public record BrokerSettings(String host, int port, Path dataDir, int partitions) {

    public BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
    }

    /** A broker on loopback with a free port. */
    public static BrokerSettings loopback(Path dataDir) {
        return new BrokerSettings("127.0.0.1", 0, dataDir, 3);
    }

    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(host, newPort, dataDir, partitions);
    }
}
