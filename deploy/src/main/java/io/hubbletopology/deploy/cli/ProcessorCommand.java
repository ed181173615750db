package io.hubbletopology.deploy.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.processor.ProcessorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "processor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the Kafka Streams processor and the query API in one JVM.")
public final class ProcessorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ProcessorOptions processor;

    @Override
    public Integer call() {
        kafka.validate(spec);
        ProcessorConfig config = processor.toConfig(spec, kafka, kafka.bootstrapServers);
        ApiSettings api = processor.api(spec, "processor");
        ProcessorRole role = new ProcessorRole(() -> config, api);
        return new RoleRunner().run(List.of(role), () ->
                System.out.println("Processor running; API on http://localhost:" + role.apiPort() + "/topology"));
    }
}
