package io.hubbletopology.deploy.cli;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.deploy.roles.BrokerRole;
import picocli.CommandLine.Command;

@Command(name = "broker",
        description = "Run a real Kafka broker (KRaft), or a cluster of --nodes brokers on consecutive ports, for running the roles "
                + "as separate processes on one machine.")
public final class BrokerCommand extends RoleCommand<BrokerSettings> {

    /** The broker has no YAML file: its options are all there is. */
    public BrokerCommand() {
        super(BrokerSettings.keys(), BrokerSettings::from, ConfigFile.NONE, BrokerRole::new);
    }
}
