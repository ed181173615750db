package io.hubbletopology.deploy.cli;

import java.util.List;

import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.deploy.roles.ProcessorRoleSettings;
import io.hubbletopology.deploy.roles.RoleRunner;
import picocli.CommandLine.Command;

/**
 * {@code processor}: the Kafka Streams processor and the query API. Each option overrides a key of
 * {@link ProcessorRoleSettings}; a bad value is one line naming the key, exit code 2.
 */
@Command(name = "processor",
        description = "Run the Kafka Streams processor and the query API in one JVM.")
public final class ProcessorCommand extends SettingsCommand<ProcessorRoleSettings> {

    public ProcessorCommand() {
        super(ProcessorRoleSettings.keys(), ProcessorRoleSettings::from, ConfigFile.YAML);
    }

    @Override
    protected int run(ProcessorRoleSettings settings) {
        ProcessorRole role = new ProcessorRole(settings::processor, settings.api(), settings.observer());
        return new RoleRunner().run(List.of(role), () ->
                System.out.println("Processor running; API on http://localhost:" + role.apiPort() + "/topology"));
    }
}
