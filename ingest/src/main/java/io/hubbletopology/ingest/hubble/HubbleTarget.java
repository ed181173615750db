package io.hubbletopology.ingest.hubble;

/**
 * Where Hubble listens: {@code host:port} (Hubble Relay, default port 4245) or {@code unix:///path} (the local
 * cilium-agent's socket, /var/run/cilium/hubble.sock).
 */
public record HubbleTarget(String grpcTarget, String display) {

    public static final int RELAY_DEFAULT_PORT = 4245;

    /** @throws IllegalArgumentException naming what is wrong with the address */
    public static HubbleTarget parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("is empty; expected host:port or unix:///path");
        }
        String a = address.trim();
        if (a.startsWith("unix://")) {
            String path = a.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("'" + a + "': a unix socket needs an absolute path, e.g. unix:///var/run/cilium/hubble.sock");
            }
            return new HubbleTarget("unix://" + path, a);
        }
        String host = a;
        int port = RELAY_DEFAULT_PORT;
        int colon = a.lastIndexOf(':');
        if (colon > 0 && !a.endsWith("]")) {
            host = a.substring(0, colon);
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + a + "': the port is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + a + "': the port must be within 1..65535");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + a + "': no host");
        }
        String target = "dns:///" + host + ":" + port;
        return new HubbleTarget(target, host + ":" + port);
    }

    /** True for the local agent's unix socket. */
    public boolean unixSocket() {
        return grpcTarget.startsWith("unix://");
    }

    /** The socket's path, for a unix socket target. */
    public String socketPath() {
        return grpcTarget.substring("unix://".length());
    }
}
