package io.hubbletopology.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the roles these tests start, handed out once per test JVM. Two test classes run at a time
 * (deploy/pom.xml), so a port that was free when one asked must not go to the other, nor be one the kernel gives a
 * client's connection: every port is below the ephemeral range (32768 on Linux). A port given as {@code --api-port}
 * also moves the processor's Observer API port ({@code observer.port} unset: 4245 plus the API port's distance
 * from 8080), so that one is free and reserved with it.
 */
public final class TestPorts {

    /** How far below its API port a processor's Observer API listens when observer.port is unset. */
    static final int OBSERVER_BELOW_API = 8080 - 4245;
    private static final int LOWEST = 20_000 + OBSERVER_BELOW_API;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> handedOut = new HashSet<>();

    private TestPorts() {
    }

    /** A port free now, never handed out before, usable as any role's port, an API port included. */
    public static int next() {
        return run(1);
    }

    /** The first of {@code count} consecutive such ports (cluster.sh numbers its instances' ports from a base). */
    public static synchronized int run(int count) {
        for (int attempt = 0; attempt < 500; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - count);
            if (usable(base, count) && usable(base - OBSERVER_BELOW_API, count)) {
                for (int p = base; p < base + count; p++) {
                    handedOut.add(p);
                    handedOut.add(p - OBSERVER_BELOW_API);
                }
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " free loopback ports left for the tests");
    }

    private static boolean usable(int base, int count) {
        for (int port = base; port < base + count; port++) {
            if (handedOut.contains(port) || !bindable(port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
