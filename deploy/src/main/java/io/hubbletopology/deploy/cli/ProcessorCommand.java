package io.hubbletopology.deploy.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.observer.ObserverSettings;
import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigValues;
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

    /** Bad configuration: the process exits with this after one line naming the key. */
    static final int BAD_CONFIGURATION = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ProcessorOptions processor;

    @Override
    public Integer call() {
        kafka.validate(spec);
        ProcessorConfig config;
        ApiSettings api;
        ObserverSettings observer;
        try {
            ConfigValues values = processor.values(spec, kafka, System.getenv());
            for (String key : ProcessorOptions.unknownKeys(values)) {
                spec.commandLine().getErr().println("processor: ignoring unknown key " + key + " in " + processor.configFile);
            }
            config = ProcessorConfig.from(values);
            api = ApiSettings.from(values, "processor");
            observer = ObserverSettings.from(values);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("processor: " + e.getMessage());
            return BAD_CONFIGURATION;
        }
        ProcessorRole role = new ProcessorRole(() -> config, api, observer);
        return new RoleRunner().run(List.of(role), () ->
                System.out.println("Processor running; API on http://localhost:" + role.apiPort() + "/topology"));
    }
}
