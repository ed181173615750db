package io.hubbletopology.deploy.cli;

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
@Command(name = "sink",
        description = "Write final edge windows and link states to Prometheus, VictoriaMetrics, Mimir, ... by remote write.")
public final class SinkCommand extends RoleCommand<SinkConfig> {

    public SinkCommand() {
        super(SinkConfig.keys(), SinkConfig::from, ConfigFile.YAML, SinkRole::new);
    }
}
