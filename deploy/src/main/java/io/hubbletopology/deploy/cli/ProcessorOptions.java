package io.hubbletopology.deploy.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.topics.TopicNames;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The processor's and query API's options. */
public final class ProcessorOptions {

    @Option(names = "--api-host", defaultValue = "0.0.0.0", description = "Address the API binds. Default: ${DEFAULT-VALUE}.")
    public String apiHost;

    @Option(names = "--api-port", defaultValue = "8080", description = "HTTP port of the API. Default: ${DEFAULT-VALUE}.")
    public int apiPort;

    @Option(names = "--application-id", defaultValue = ProcessorConfig.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id; instances with the same id share the work. Default: ${DEFAULT-VALUE}.")
    public String applicationId;

    @Option(names = "--application-server", paramLabel = "HOST:PORT", defaultValue = "${env:APPLICATION_SERVER}",
            description = "Where other instances reach this one's API, e.g. the pod IP and API port (env APPLICATION_SERVER).")
    public String applicationServer;

    @Option(names = "--state-dir", description = "Where the state stores live. Default: a directory under the system temp dir.")
    public Path stateDir;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads. Default: ${DEFAULT-VALUE}.")
    public int threads;

    @Option(names = "--standby-replicas", defaultValue = "0", description = "Warm copies of each store on other instances. Default: ${DEFAULT-VALUE}.")
    public int standbyReplicas;

    @Option(names = "--commit-interval", defaultValue = "1s", converter = Durations.class,
            description = "How often progress is committed. Default: ${DEFAULT-VALUE}.")
    public Duration commitInterval;

    @Option(names = "--exactly-once", description = "Process with exactly_once_v2 (needs 3 brokers by default, or transaction settings for fewer).")
    public boolean exactlyOnce;

    @Option(names = "--window-size", defaultValue = "1m", converter = Durations.class,
            description = "The tumbling window of edge figures. Default: ${DEFAULT-VALUE}.")
    public Duration windowSize;

    @Option(names = "--window-grace", defaultValue = "30s", converter = Durations.class,
            description = "How late a flow may arrive and still count in its window. Default: ${DEFAULT-VALUE}.")
    public Duration windowGrace;

    @Option(names = "--window-retention", defaultValue = "24h", converter = Durations.class,
            description = "How long windows are kept for queries. Default: ${DEFAULT-VALUE}.")
    public Duration windowRetention;

    public ProcessorConfig toConfig(CommandSpec spec, KafkaOptions kafka, String bootstrapServers) {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, was " + threads);
        }
        if (standbyReplicas < 0) {
            throw new ParameterException(spec.commandLine(), "--standby-replicas must not be negative");
        }
        if (windowSize.isZero() || windowSize.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--window-size must be positive");
        }
        if (windowRetention.compareTo(windowSize.plus(windowGrace)) < 0) {
            throw new ParameterException(spec.commandLine(), "--window-retention must be at least --window-size plus --window-grace");
        }
        if (applicationServer != null && !applicationServer.matches("^[^:\\s]+:\\d{1,5}$")) {
            throw new ParameterException(spec.commandLine(), "--application-server: '" + applicationServer + "' is not host:port");
        }
        Path dir = stateDir != null ? stateDir
                : Path.of(System.getProperty("java.io.tmpdir"), "hubble-topology-state-" + apiPort);
        return new ProcessorConfig(bootstrapServers, Map.of(), applicationId, applicationServer, dir, threads,
                standbyReplicas, commitInterval, exactlyOnce, windowSize, windowGrace, windowRetention,
                TopicNames.defaults(), kafka.partitions, kafka.replicationFactor);
    }

    public ApiSettings api(CommandSpec spec, String mode) {
        if (apiPort < 0 || apiPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--api-port must be within 0..65535, was " + apiPort);
        }
        return new ApiSettings(apiHost, apiPort, mode);
    }
}
