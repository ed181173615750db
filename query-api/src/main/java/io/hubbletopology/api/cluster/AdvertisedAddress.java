package io.hubbletopology.api.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where the other instances of the processor reach this one's API when no {@code application.server} was given:
 * every instance must advertise an address, or the others cannot ask it for its partitions and their answers are
 * partial. In order:
 * <ol>
 *   <li>the API's bind address, when it is a specific one;</li>
 *   <li>127.0.0.1 when every Kafka bootstrap server is on loopback: every instance that shares this Kafka runs
 *       on this machine (the README's and the local cluster's setup);</li>
 *   <li>else this machine's address: its host name's, or that of its first interface that is up and not
 *       loopback (in a Kubernetes pod, the pod IP).</li>
 * </ol>
 *
 * <pre>{@code
 * AdvertisedAddress a = AdvertisedAddress.of("0.0.0.0", 8080, "127.0.0.1:9092");   // 127.0.0.1:8080
 * }</pre>
 *
 * @param hostPort what to advertise, host:port
 * @param why      how it was chosen, for the start-up log line
 */
public record AdvertisedAddress(String hostPort, String why) {

    public static AdvertisedAddress of(String bindHost, int port, String bootstrapServers) {
        if (bindHost != null && !bindHost.isBlank() && !isWildcard(bindHost.trim())) {
            return new AdvertisedAddress(join(bindHost.trim(), port), "the API's bind address");
        }
        if (allLoopback(bootstrapServers)) {
            return new AdvertisedAddress(join("127.0.0.1", port),
                    "Kafka is on loopback, so every instance runs on this machine");
        }
        return new AdvertisedAddress(join(machineAddress().orElse("127.0.0.1"), port), "this machine's address");
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("*");
    }

    static boolean allLoopback(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            return false;
        }
        for (String server : bootstrapServers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            String host = (colon > 0 ? s.substring(0, colon) : s).replace("[", "").replace("]", "");
            try {
                if (!InetAddress.getByName(host).isLoopbackAddress()) {
                    return false;
                }
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> machineAddress() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            if (!local.isLoopbackAddress()) {
                return Optional.of(local.getHostAddress());
            }
        } catch (UnknownHostException e) {
            // No resolvable host name: look at the interfaces.
        }
        try {
            String v6 = null;
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
                for (InetAddress a : addresses) {
                    if (a.isLinkLocalAddress()) {
                        continue;
                    }
                    if (a instanceof Inet4Address) {
                        return Optional.of(a.getHostAddress());
                    }
                    if (v6 == null) {
                        v6 = a.getHostAddress().replaceAll("%.*$", "");
                    }
                }
            }
            return Optional.ofNullable(v6);
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static String join(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
