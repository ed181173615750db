package io.hubbletopology.deploy.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.KafkaCluster;
import io.hubbletopology.deploy.roles.BrokerRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a real Kafka broker (KRaft), or a cluster of --nodes brokers on consecutive ports, for running the roles as separate processes on one machine.")
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on and advertise. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "9092", description = "Client port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data-dir", required = true, description = "Where the broker keeps its data; reused across restarts.")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "3", description = "Default partitions of new topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--nodes", defaultValue = "${env:BROKER_NODES:-1}",
            description = "KRaft nodes (env BROKER_NODES), each broker and controller in a process of its own on ports "
                    + "--port..--port+N-1 (quorum on the N ports after those). Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Override
    public Integer call() {
        BrokerSettings settings;
        try {
            settings = new BrokerSettings(host, port, dataDir, partitions, nodes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        BrokerRole broker = new BrokerRole(settings);
        return new RoleRunner().run(List.of(broker), () -> {
            for (KafkaCluster.Node node : broker.nodes()) {
                System.out.println("Kafka node " + node.nodeId() + " on " + node.address() + " (pid " + node.process().pid() + ")");
            }
            System.out.println("Kafka broker ready on " + broker.bootstrapServers() + " (data in " + dataDir + "). Ctrl-C stops it.");
        });
    }
}
