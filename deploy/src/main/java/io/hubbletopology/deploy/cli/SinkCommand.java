package io.hubbletopology.deploy.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.deploy.roles.SinkRole;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.sink.SinkConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sink}: final edge windows and link states from the output topics to a TSDB by Prometheus remote write.
 * Each option overrides a key of {@link SinkConfig} (defaults and environment variables in docs/configuration.md);
 * a bad value is one line naming the key, exit code 2.
 *
 * <pre>
 * java -jar hubble-topology.jar sink --bootstrap-servers kafka:9092 --remote-write-url http://prometheus:9090/api/v1/write
 * </pre>
 */
@Command(name = "sink", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write final edge windows and link states to Prometheus, VictoriaMetrics, Mimir, ... by remote write.")
public final class SinkCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(SinkCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (keys: sink.*, kafka.*, topics.*, health.*).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (kafka.bootstrap_servers, env KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--remote-write-url", paramLabel = "URL",
            description = "Remote write endpoint (sink.remote_write_url, env REMOTE_WRITE_URL), e.g. http://127.0.0.1:9090/api/v1/write.")
    String remoteWriteUrl;

    @Option(names = "--group-id", paramLabel = "GROUP", description = "Kafka consumer group (sink.group_id, env SINK_GROUP_ID).")
    String groupId;

    @Option(names = "--tenant", paramLabel = "ID", description = "X-Scope-OrgID for Mimir or Cortex (sink.tenant, env REMOTE_WRITE_TENANT).")
    String tenant;

    @Option(names = "--extra-labels", paramLabel = "NAME=VALUE[,...]", description = "Labels on every sample (sink.extra_labels).")
    String extraLabels;

    @Option(names = "--health-port", paramLabel = "PORT", description = "Port of /healthz, /readyz, /metrics; -1: none (health.port, env HEALTH_PORT).")
    String healthPort;

    @Override
    public Integer call() {
        SinkConfig config;
        try {
            ConfigValues values = ConfigValues.load(configFile, System.getenv(), overrides());
            config = SinkConfig.from(values);
            List<String> unknown = values.unknownFileKeys(SinkConfig.keys());
            if (!unknown.isEmpty()) {
                log.warn("Ignoring unknown keys in {}: {}", configFile, unknown);
            }
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("sink: " + e.getMessage());
            return ProcessorCommand.BAD_CONFIGURATION;
        }
        return new RoleRunner().run(List.of(new SinkRole(config)), () ->
                System.out.println("Sink running; writing to " + config.target().url()));
    }

    private Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, ProcessorConfig.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        put(out, SinkConfig.REMOTE_WRITE_URL.name(), remoteWriteUrl);
        put(out, SinkConfig.GROUP_ID.name(), groupId);
        put(out, SinkConfig.TENANT.name(), tenant);
        put(out, SinkConfig.EXTRA_LABELS.name(), extraLabels);
        put(out, SinkConfig.HEALTH_PORT.name(), healthPort);
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
