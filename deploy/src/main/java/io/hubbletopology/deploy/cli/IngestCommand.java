package io.hubbletopology.deploy.cli;

import java.util.List;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import picocli.CommandLine.Command;

/**
 * {@code ingest}: the per-node agent. Configuration from {@code --config} YAML, the environment and the options
 * (each an override of a key of {@link IngestConfig}); a bad value is one line naming the key, exit code 2. With
 * {@code --replay} it exits 0 once the input ends and Kafka has everything.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingsCommand.Options.class,
        description = "Run the per-node agent: read Hubble's flows and/or this node's link states (or replay a file) and publish them to Kafka.")
public final class IngestCommand extends SettingsCommand<IngestConfig> {

    public IngestCommand() {
        super(IngestConfig.keys(), IngestConfig::from, List.of(
                SettingFlag.of("--mode", IngestConfig.MODE).label("hubble|sysfs|both"),
                SettingFlag.of("--hubble-addr", IngestConfig.HUBBLE_ADDR).label("HOST:PORT|unix:///PATH"),
                SettingFlag.of("--node-name", IngestConfig.NODE_NAME).label("NAME"),
                SettingFlag.of("--bootstrap-servers", KafkaSettings.BOOTSTRAP_SERVERS).label("HOST:PORT[,...]"),
                SettingFlag.of("--replay", IngestConfig.REPLAY_FILE).label("FILE|-"),
                SettingFlag.of("--verdict", HubbleSourceSettings.VERDICTS).label("VERDICT").many(),
                SettingFlag.of("--exclude-pod", HubbleSourceSettings.EXCLUDE_PODS).label("PREFIX").many(),
                SettingFlag.of("--include-replies", HubbleSourceSettings.INCLUDE_REPLIES),
                SettingFlag.of("--hubble-tls-ca", IngestConfig.TLS_CA_FILE).label("FILE"),
                SettingFlag.of("--hubble-tls-cert", IngestConfig.TLS_CERT_FILE).label("FILE"),
                SettingFlag.of("--hubble-tls-key", IngestConfig.TLS_KEY_FILE).label("FILE"),
                SettingFlag.of("--hubble-tls-server-name", IngestConfig.TLS_SERVER_NAME).label("NAME"),
                SettingFlag.of("--sysfs-root", IngestConfig.SYSFS_ROOT).label("DIR"),
                SettingFlag.of("--poll-interval", IngestConfig.POLL_INTERVAL).label("DURATION"),
                SettingFlag.of("--snapshot-interval", IngestConfig.SNAPSHOT_INTERVAL).label("DURATION"),
                SettingFlag.of("--max-backoff", HubbleSourceSettings.MAX_BACKOFF).label("DURATION"),
                SettingFlag.of("--partitions", KafkaSettings.PARTITIONS).label("N"),
                SettingFlag.of("--replication-factor", KafkaSettings.REPLICATION_FACTOR).label("N"),
                SettingFlag.of("--flows-retention", IngestConfig.FLOWS_RETENTION).label("DURATION"),
                SettingFlag.of("--health-port", IngestConfig.HEALTH_PORT).label("PORT")));
    }

    @Override
    protected int run(IngestConfig config) {
        IngestRole role = new IngestRole(() -> config);
        RoleRunner runner = new RoleRunner();
        return runner.run(List.of(role), () -> {
            if (config.replay()) {
                role.agent().replayDone().whenComplete((result, error) -> runner.requestStop());
            }
        });
    }
}
