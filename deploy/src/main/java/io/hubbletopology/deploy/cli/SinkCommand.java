package io.hubbletopology.deploy.cli;

import java.util.List;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.deploy.roles.SinkRole;
import io.hubbletopology.sink.SinkConfig;
import picocli.CommandLine.Command;

/**
 * {@code sink}: final edge windows and link states from the output topics to a TSDB by Prometheus remote write.
 * Each option overrides a key of {@link SinkConfig}; a bad value is one line naming the key, exit code 2.
 *
 * <pre>
 * java -jar hubble-topology.jar sink --bootstrap-servers kafka:9092 --remote-write-url http://prometheus:9090/api/v1/write
 * </pre>
 */
@Command(name = "sink", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingsCommand.Options.class,
        description = "Write final edge windows and link states to Prometheus, VictoriaMetrics, Mimir, ... by remote write.")
public final class SinkCommand extends SettingsCommand<SinkConfig> {

    public SinkCommand() {
        super(SinkConfig.keys(), SinkConfig::from, List.of(
                SettingFlag.of("--bootstrap-servers", KafkaSettings.BOOTSTRAP_SERVERS).label("HOST:PORT[,...]"),
                SettingFlag.of("--remote-write-url", SinkConfig.REMOTE_WRITE_URL).label("URL"),
                SettingFlag.of("--group-id", SinkConfig.GROUP_ID).label("GROUP"),
                SettingFlag.of("--tenant", SinkConfig.TENANT).label("ID"),
                SettingFlag.of("--extra-labels", SinkConfig.EXTRA_LABELS).label("NAME=VALUE[,...]"),
                SettingFlag.of("--health-port", SinkConfig.HEALTH_PORT).label("PORT")));
    }

    @Override
    protected int run(SinkConfig config) {
        return new RoleRunner().run(List.of(new SinkRole(config)), () ->
                System.out.println("Sink running; writing to " + config.target().url()));
    }
}
