package io.hubbletopology.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Runs of consecutive free loopback ports, for a {@link KafkaQuorum} (which takes 2 per node from its base). */
public final class FreePorts {

    private FreePorts() {
    }

    /** The first of {@code count} consecutive ports free on 127.0.0.1 right now. */
    public static int consecutive(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            // Below the kernel's ephemeral range (32768 on Linux) so clients' own ports do not take ours.
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - count);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports on 127.0.0.1");
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
