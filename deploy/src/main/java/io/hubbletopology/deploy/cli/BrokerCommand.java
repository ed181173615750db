package io.hubbletopology.deploy.cli;

import java.util.List;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.KafkaCluster;
import io.hubbletopology.deploy.roles.BrokerRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import picocli.CommandLine.Command;

@Command(name = "broker",
        description = "Run a real Kafka broker (KRaft), or a cluster of --nodes brokers on consecutive ports, for running the roles "
                + "as separate processes on one machine.")
public final class BrokerCommand extends SettingsCommand<BrokerSettings> {

    /** The broker has no YAML file: its options are all there is. */
    public BrokerCommand() {
        super(BrokerSettings.keys(), BrokerSettings::from, ConfigFile.NONE);
    }

    @Override
    protected int run(BrokerSettings settings) {
        BrokerRole broker = new BrokerRole(settings);
        return new RoleRunner().run(List.of(broker), () -> {
            for (KafkaCluster.Node node : broker.nodes()) {
                System.out.println("Kafka node " + node.nodeId() + " on " + node.address() + " (pid " + node.process().pid() + ")");
            }
            System.out.println("Kafka broker ready on " + broker.bootstrapServers() + " (data in " + settings.dataDir()
                    + "). Ctrl-C stops it.");
        });
    }
}
