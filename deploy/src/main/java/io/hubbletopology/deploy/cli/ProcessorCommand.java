package io.hubbletopology.deploy.cli;

import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.deploy.roles.ProcessorRoleSettings;
import picocli.CommandLine.Command;

/**
 * {@code processor}: the Kafka Streams processor and the query API. Each option overrides a key of
 * {@link ProcessorRoleSettings}; a bad value is one line naming the key, exit code 2.
 */
@Command(name = "processor",
        description = "Run the Kafka Streams processor and the query API in one JVM.")
public final class ProcessorCommand extends RoleCommand<ProcessorRoleSettings> {

    public ProcessorCommand() {
        super(ProcessorRoleSettings.keys(), ProcessorRoleSettings::from, ConfigFile.YAML,
                settings -> new ProcessorRole(settings::processor, settings.api(), settings.observer()));
    }
}
