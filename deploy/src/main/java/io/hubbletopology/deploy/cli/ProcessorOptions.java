package io.hubbletopology.deploy.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.processor.ProcessorConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The processor's and query API's options. Processor settings are {@link ProcessorConfig}'s keys: the YAML
 * file ({@code --config}) sets them, their environment variables override the file, and these options override
 * both. The options are kept as text and checked by the keys' own parsers, so a bad value gets the same
 * one-line message whether it came from the file, the environment or the command line.
 */
public final class ProcessorOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (keys as in docs, e.g. processor.threads).")
    public Path configFile;

    @Option(names = "--api-host", description = "Address the API binds (env API_HOST). Default: 0.0.0.0.")
    public String apiHost;

    @Option(names = "--api-port", description = "HTTP port of the API, the live feeds and the page (env API_PORT). Default: 8080.")
    public String apiPort;

    @Option(names = "--application-id", description = "Kafka Streams application id; instances with the same id share the work "
            + "(env APPLICATION_ID). Default: " + ProcessorConfig.DEFAULT_APPLICATION_ID + ".")
    public String applicationId;

    @Option(names = "--application-server", paramLabel = "HOST:PORT",
            description = "Where other instances reach this one's API, e.g. the pod IP and API port (env APPLICATION_SERVER). "
                    + "Default: the API's bind address, else 127.0.0.1 when Kafka is on loopback, else this machine's address.")
    public String applicationServer;

    @Option(names = "--state-dir", description = "Where the state stores live (env STATE_DIR). Default: hubble-topology/processor-<api port> under ~/.local/state.")
    public String stateDir;

    @Option(names = "--threads", description = "Stream threads (env STREAM_THREADS). Default: 1.")
    public String threads;

    @Option(names = "--standby-replicas", description = "Warm copies of each store on other instances (env STANDBY_REPLICAS). Default: 0.")
    public String standbyReplicas;

    @Option(names = "--commit-interval", description = "How often progress is committed (env COMMIT_INTERVAL). Default: 1s.")
    public String commitInterval;

    @Option(names = "--exactly-once", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Process with exactly_once_v2 (env EXACTLY_ONCE; the brokers' transaction log must fit the cluster). Default: false.")
    public String exactlyOnce;

    @Option(names = "--window-size", description = "The tumbling window of edge figures (env WINDOW_SIZE). Default: 1m.")
    public String windowSize;

    @Option(names = "--window-grace", description = "How late a flow may arrive and still count in its window (env WINDOW_GRACE). Default: 30s.")
    public String windowGrace;

    @Option(names = "--window-retention", description = "How long windows are kept for queries (env WINDOW_RETENTION). Default: 24h.")
    public String windowRetention;

    /** The settings from the file, the environment and the options given on the command line. */
    public ConfigValues values(CommandSpec spec, KafkaOptions kafka, Map<String, String> env) {
        Map<String, String> overrides = new LinkedHashMap<>();
        var parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption("--bootstrap-servers")) {
            overrides.put(ProcessorConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers);
        }
        if (parsed != null && parsed.hasMatchedOption("--partitions")) {
            overrides.put(ProcessorConfig.PARTITIONS.name(), String.valueOf(kafka.partitions));
        }
        if (parsed != null && parsed.hasMatchedOption("--replication-factor")) {
            overrides.put(ProcessorConfig.REPLICATION_FACTOR.name(), String.valueOf(kafka.replicationFactor));
        }
        put(overrides, ProcessorConfig.APPLICATION_ID, applicationId);
        put(overrides, ProcessorConfig.APPLICATION_SERVER, applicationServer);
        put(overrides, ProcessorConfig.STATE_DIR, stateDir);
        put(overrides, ProcessorConfig.THREADS, threads);
        put(overrides, ProcessorConfig.STANDBY_REPLICAS, standbyReplicas);
        put(overrides, ProcessorConfig.COMMIT_INTERVAL, commitInterval);
        put(overrides, ProcessorConfig.EXACTLY_ONCE, exactlyOnce);
        put(overrides, ProcessorConfig.WINDOW_SIZE, windowSize);
        put(overrides, ProcessorConfig.WINDOW_GRACE, windowGrace);
        put(overrides, ProcessorConfig.WINDOW_RETENTION, windowRetention);
        put(overrides, ApiSettings.HOST, apiHost);
        put(overrides, ApiSettings.PORT, apiPort);
        ConfigValues values = ConfigValues.load(configFile, env, overrides);
        if (values.get(ProcessorConfig.STATE_DIR) == null) {
            // One state directory per API port, so two processors on one machine do not fight over the same lock.
            overrides.put(ProcessorConfig.STATE_DIR.name(),
                    ProcessorConfig.localStateDir("processor-" + values.get(ApiSettings.PORT)).toString());
            values = ConfigValues.load(configFile, env, overrides);
        }
        return values;
    }

    private static void put(Map<String, String> overrides, ConfigKey<?> key, String value) {
        if (value != null) {
            overrides.put(key.name(), value);
        }
    }

    /** The file's keys neither the processor nor the API declares (typos, most likely). */
    public static List<String> unknownKeys(ConfigValues values) {
        return values.unknownFileKeys(keys());
    }

    /** Every setting of the processor role: the processor's and the query API's. */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(ProcessorConfig.keys());
        keys.addAll(ApiSettings.keys());
        return keys;
    }

}
