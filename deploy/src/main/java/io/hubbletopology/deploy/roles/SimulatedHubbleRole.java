package io.hubbletopology.deploy.roles;

import io.hubbletopology.ingest.synthetic.SimulatedHubbleServer;
import io.hubbletopology.ingest.synthetic.SyntheticCluster;

/** The demo's Hubble: a simulated cluster served over Hubble's real gRPC protocol on loopback. */
public final class SimulatedHubbleRole implements Role {

    private final double flowsPerSecond;
    private final long seed;
    private SimulatedHubbleServer server;

    public SimulatedHubbleRole(double flowsPerSecond, long seed) {
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
                .flowsPerSecond(flowsPerSecond)
                .source(new SyntheticCluster(seed)::next)
                .start();
    }

    public String address() {
        return "127.0.0.1:" + server.port();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
