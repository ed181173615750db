package io.hubbletopology.deploy.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.ingest.IngestConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the per-node agent: read Hubble's flows and/or this node's link states and publish them to Kafka.")
public final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    IngestOptions ingest;

    @Override
    public Integer call() {
        kafka.validate(spec);
        IngestConfig config = ingest.toConfig(spec, kafka, kafka.bootstrapServers);
        return new RoleRunner().run(List.of(new IngestRole(() -> config)), () -> { });
    }
}
