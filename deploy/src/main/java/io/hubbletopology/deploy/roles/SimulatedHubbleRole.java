package io.hubbletopology.deploy.roles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/** The demo's Hubble: a simulated cluster served over Hubble's real gRPC protocol on loopback. */
public final class SimulatedHubbleRole implements Role {

    private static final Logger log = LoggerFactory.getLogger(SimulatedHubbleRole.class);

    private final String host;
    private final int port;
    private final Double flowsPerSecond;
    private final long seed;
    private final int workloads;
    private SimulatedHubbleServer server;

    /** On loopback, on a free port; a null rate is the cluster's own ({@link SyntheticCluster#naturalFlowsPerSecond()}). */
    public SimulatedHubbleRole(Double flowsPerSecond, long seed, int workloads) {
        this("127.0.0.1", 0, flowsPerSecond, seed, workloads);
    }

    public SimulatedHubbleRole(String host, int port, Double flowsPerSecond, long seed, int workloads) {
        this.host = host;
        this.port = port;
        this.flowsPerSecond = flowsPerSecond;
        this.seed = seed;
        this.workloads = workloads;
    }

    @Override
    public void start() {
        SyntheticCluster cluster = new SyntheticCluster(seed, workloads);
        double rate = flowsPerSecond != null ? flowsPerSecond : cluster.naturalFlowsPerSecond();
        log.info("Simulated cluster of seed {}: {} workloads, {} edges, {} nodes", seed, workloads, cluster.conversations(),
                cluster.nodes().size());
        server = SimulatedHubbleServer.builder()
                .host(host)
                .port(port)
                .flowsPerSecond(rate)
                .source(cluster::next)
                .start();
    }

    public String address() {
        return host + ":" + server.port();
    }

    @Override
    public void stop() {
        Role.close(server);
    }
}
