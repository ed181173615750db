package io.hubbletopology.deploy.roles;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/** The demo's Hubble: a simulated cluster served over Hubble's real gRPC protocol on loopback. */
public final class SimulatedHubbleRole implements Role {

    private static final Logger log = LoggerFactory.getLogger(SimulatedHubbleRole.class);

    private final SimulatedHubbleSettings settings;
    private SimulatedHubbleServer server;

    /** On loopback, on a free port; a null rate is the cluster's own ({@link SyntheticCluster#naturalFlowsPerSecond()}). */
    public SimulatedHubbleRole(Double flowsPerSecond, long seed, int workloads) {
        this(new SimulatedHubbleSettings("127.0.0.1", 0, flowsPerSecond, seed, workloads));
    }

    public SimulatedHubbleRole(SimulatedHubbleSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start() {
        SyntheticCluster cluster = new SyntheticCluster(settings.seed(), settings.workloads());
        double rate = settings.flowsPerSecond() != null ? settings.flowsPerSecond() : cluster.naturalFlowsPerSecond();
        log.info("Simulated cluster of seed {}: {} workloads, {} edges, {} nodes", settings.seed(), settings.workloads(),
                cluster.conversations(), cluster.nodes().size());
        server = SimulatedHubbleServer.builder()
                .host(settings.host())
                .port(settings.port())
                .flowsPerSecond(rate)
                .source(cluster::next)
                .start();
    }

    public String address() {
        return settings.host() + ":" + server.port();
    }

    @Override
    public List<String> readyLines() {
        return List.of("Simulated Hubble serving on " + address() + ". Ctrl-C stops it.");
    }

    @Override
    public void stop() {
        Role.close(server);
    }
}
