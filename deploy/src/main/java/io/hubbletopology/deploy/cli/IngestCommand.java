package io.hubbletopology.deploy.cli;

import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.ingest.IngestConfig;
import picocli.CommandLine.Command;

/**
 * {@code ingest}: the per-node agent. Configuration from {@code --config} YAML, the environment and the options
 * (each an override of a key of {@link IngestConfig}); a bad value is one line naming the key, exit code 2. With
 * {@code --replay} it exits 0 once the input ends and Kafka has everything.
 */
@Command(name = "ingest",
        description = "Run the per-node agent: read Hubble's flows and/or this node's link states (or replay a file) and publish them to Kafka.")
public final class IngestCommand extends RoleCommand<IngestConfig> {

    public IngestCommand() {
        super(IngestConfig.keys(), IngestConfig::from, ConfigFile.YAML, config -> new IngestRole(() -> config));
    }
}
