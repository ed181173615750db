package io.hubbletopology.deploy.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.ingest.IngestConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ingest}: the per-node agent. Configuration from {@code --config} YAML, the environment and the options;
 * a bad value is one line naming the key, exit code 2. With {@code --replay} it exits 0 once the input ends and
 * Kafka has everything.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the per-node agent: read Hubble's flows and/or this node's link states (or replay a file) and publish them to Kafka.")
public final class IngestCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(IngestCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    IngestOptions ingest;

    @Override
    public Integer call() {
        Map<String, String> overrides = new LinkedHashMap<>(IngestOptions.kafkaPropertiesFromEnv(System.getenv()));
        overrides.putAll(ingest.overrides());
        ConfigValues values;
        IngestConfig config;
        try {
            values = ConfigValues.load(ingest.configFile, System.getenv(), overrides);
            config = new IngestConfig(values);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("ingest: " + e.getMessage());
            return 2;
        }
        List<String> unknown = values.unknownFileKeys(IngestConfig.keys());
        if (!unknown.isEmpty()) {
            log.warn("Ignoring unknown keys in {}: {}", ingest.configFile, unknown);
        }
        IngestRole role = new IngestRole(() -> config);
        RoleRunner runner = new RoleRunner();
        return runner.run(List.of(role), () -> {
            if (config.replay()) {
                role.agent().replayDone().whenComplete((result, error) -> runner.requestStop());
            }
        });
    }
}
