package io.hubbletopology.deploy.roles;

import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/** The demo's Hubble: a simulated cluster served over Hubble's real gRPC protocol on loopback. */
public final class SimulatedHubbleRole implements Role {

    private final String host;
    private final int port;
    private final double flowsPerSecond;
    private final long seed;
    private SimulatedHubbleServer server;

    /** On loopback, on a free port. */
    public SimulatedHubbleRole(double flowsPerSecond, long seed) {
        this("127.0.0.1", 0, flowsPerSecond, seed);
    }

    public SimulatedHubbleRole(String host, int port, double flowsPerSecond, long seed) {
        this.host = host;
        this.port = port;
        this.flowsPerSecond = flowsPerSecond;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "hubble-simulator";
    }

    @Override
    public void start() {
        server = SimulatedHubbleServer.builder()
                .host(host)
                .port(port)
                .flowsPerSecond(flowsPerSecond)
                .source(new SyntheticCluster(seed)::next)
                .start();
    }

    public String address() {
        return host + ":" + server.port();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
