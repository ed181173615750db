package io.hubbletopology.deploy.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.deploy.roles.SimulatedHubbleRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A simulated Hubble server as its own process, for running several ingest agents against one Hubble on one
 * machine (deploy/local/cluster.sh). Hidden: it is a test double, not a role of a deployment.
 *
 * <pre>
 * java -jar hubble-topology.jar hubble-sim --port 4245 --flows-per-second 200 --seed 42
 * </pre>
 */
@Command(name = "hubble-sim", hidden = true, mixinStandardHelpOptions = true,
        description = "Serve a simulated cluster's flows over Hubble's gRPC protocol (the demo's Hubble, as its own process).")
public final class HubbleSimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "4245", description = "gRPC port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--flows-per-second", defaultValue = "200", description = "Flows emitted per second. Default: ${DEFAULT-VALUE}.")
    double flowsPerSecond;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated cluster. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        if (flowsPerSecond <= 0) {
            throw new ParameterException(spec.commandLine(), "--flows-per-second must be positive");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be within 0..65535, was " + port);
        }
        SimulatedHubbleRole hubble = new SimulatedHubbleRole(host, port, flowsPerSecond, seed);
        return new RoleRunner().run(List.of(hubble), () ->
                System.out.println("Simulated Hubble serving on " + hubble.address() + ". Ctrl-C stops it."));
    }
}
