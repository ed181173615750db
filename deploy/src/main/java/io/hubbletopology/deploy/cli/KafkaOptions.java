package io.hubbletopology.deploy.cli;

import picocli.CommandLine.Option;

/** The Kafka settings every role but the broker shares. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env KAFKA_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}.")
    public String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "3",
            description = "Partitions of the topics this role creates when they are missing. Default: ${DEFAULT-VALUE}.")
    public int partitions;

    @Option(names = "--replication-factor", defaultValue = "auto",
            description = "Replication factor of the topics this role creates: auto is 3 with min.insync.replicas=2 "
                    + "on three or more brokers, else one per broker. Default: ${DEFAULT-VALUE}.")
    public String replicationFactor;

    public void validate(picocli.CommandLine.Model.CommandSpec spec) {
        if (partitions < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--partitions must be at least 1, was " + partitions);
        }
        try {
            io.hubbletopology.topics.ReplicationPlan.parseFactor(replicationFactor);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--replication-factor " + e.getMessage());
        }
    }
}
