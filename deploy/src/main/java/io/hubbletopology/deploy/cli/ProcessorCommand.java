package io.hubbletopology.deploy.cli;

import java.util.List;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.observer.ObserverSettings;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.deploy.roles.ProcessorRoleSettings;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.processor.ProcessorConfig;
import picocli.CommandLine.Command;

/**
 * {@code processor}: the Kafka Streams processor and the query API. Each option overrides a key of
 * {@link ProcessorRoleSettings}; a bad value is one line naming the key, exit code 2.
 */
@Command(name = "processor", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingsCommand.Options.class,
        description = "Run the Kafka Streams processor and the query API in one JVM.")
public final class ProcessorCommand extends SettingsCommand<ProcessorRoleSettings> {

    public ProcessorCommand() {
        super(ProcessorRoleSettings.keys(), ProcessorRoleSettings::from, List.of(
                SettingFlag.of("--bootstrap-servers", KafkaSettings.BOOTSTRAP_SERVERS).label("HOST:PORT[,...]"),
                SettingFlag.of("--partitions", KafkaSettings.PARTITIONS).label("N"),
                SettingFlag.of("--replication-factor", KafkaSettings.REPLICATION_FACTOR).label("N"),
                SettingFlag.of("--api-host", ApiSettings.HOST).label("HOST"),
                SettingFlag.of("--api-port", ApiSettings.PORT).label("PORT"),
                SettingFlag.of("--observer-port", ObserverSettings.PORT).label("PORT"),
                SettingFlag.of("--application-id", ProcessorConfig.APPLICATION_ID).label("ID"),
                SettingFlag.of("--application-server", ProcessorConfig.APPLICATION_SERVER).label("HOST:PORT"),
                SettingFlag.of("--state-dir", ProcessorConfig.STATE_DIR).label("DIR"),
                SettingFlag.of("--threads", ProcessorConfig.THREADS).label("N"),
                SettingFlag.of("--standby-replicas", ProcessorConfig.STANDBY_REPLICAS).label("N"),
                SettingFlag.of("--commit-interval", ProcessorConfig.COMMIT_INTERVAL).label("DURATION"),
                SettingFlag.of("--live-interval", ProcessorConfig.LIVE_INTERVAL).label("DURATION"),
                SettingFlag.of("--exactly-once", ProcessorConfig.EXACTLY_ONCE),
                SettingFlag.of("--window-size", ProcessorConfig.WINDOW_SIZE).label("DURATION"),
                SettingFlag.of("--window-grace", ProcessorConfig.WINDOW_GRACE).label("DURATION"),
                SettingFlag.of("--window-retention", ProcessorConfig.WINDOW_RETENTION).label("DURATION")));
    }

    @Override
    protected int run(ProcessorRoleSettings settings) {
        ProcessorRole role = new ProcessorRole(settings::processor, settings.api(), settings.observer());
        return new RoleRunner().run(List.of(role), () ->
                System.out.println("Processor running; API on http://localhost:" + role.apiPort() + "/topology"));
    }
}
