package io.hubbletopology.deploy.cli;

import io.hubbletopology.deploy.roles.SimulatedHubbleRole;
import io.hubbletopology.deploy.roles.SimulatedHubbleSettings;
import picocli.CommandLine.Command;

/**
 * A simulated Hubble server as its own process, for running several ingest agents against one Hubble on one
 * machine (deploy/local/cluster.sh). Hidden: it is a test double, not a role of a deployment.
 *
 * <pre>
 * java -jar hubble-topology.jar hubble-sim --port 4245 --flows-per-second 200 --seed 42
 * </pre>
 */
@Command(name = "hubble-sim", hidden = true,
        description = "Serve a simulated cluster's flows over Hubble's gRPC protocol (the demo's Hubble, as its own process).")
public final class HubbleSimCommand extends RoleCommand<SimulatedHubbleSettings> {

    /** No YAML file: a test double started by scripts. */
    public HubbleSimCommand() {
        super(SimulatedHubbleSettings.keys(), SimulatedHubbleSettings::from, ConfigFile.NONE, SimulatedHubbleRole::new);
    }
}
