package io.hubbletopology.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.CommandLineOption;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.topics.TopicNames;

/**
 * Everything the processor needs, parsed and validated once at start: {@link #from(ConfigValues)} reads every
 * key below once, so a bad value fails there with a {@link ConfigException} naming the key.
 *
 * <pre>{@code
 * ProcessorConfig config = ProcessorConfig.from(ConfigValues.load(yaml, System.getenv(), Map.of("processor.threads", "2")));
 * }</pre>
 *
 * @param bootstrapServers   Kafka's bootstrap servers
 * @param kafkaProperties    extra Kafka client properties (SASL, SSL, ...), from {@code kafka.properties.*}
 * @param applicationId      the Kafka Streams application id: instances with the same id share the work
 * @param applicationServer  host:port where other instances reach this one's API (Streams' application.server);
 *                           null when the role derives it at start (or, in tests, for an instance nobody can ask)
 * @param stateDir           where the state stores live
 * @param threads            stream threads
 * @param standbyReplicas    warm copies of each store on other instances
 * @param commitInterval     how often progress is committed (and caches flushed to stores and output topics)
 * @param exactlyOnce        exactly_once_v2 processing instead of at_least_once
 * @param windowSize         the tumbling window of edge figures
 * @param windowGrace        how late a flow may arrive and still count in its window
 * @param windowRetention    how long windows are kept for queries
 * @param topics             topic names
 * @param partitions         partitions of topics the processor creates
 * @param replicationFactor  replication factor of topics the processor creates
 * @param liveInterval       how often the provisional states of changed edges and links go to the live topic
 */
public record ProcessorConfig(String bootstrapServers, Map<String, Object> kafkaProperties, String applicationId,
                              String applicationServer, Path stateDir, int threads, int standbyReplicas,
                              Duration commitInterval, boolean exactlyOnce, Duration windowSize, Duration windowGrace,
                              Duration windowRetention, TopicNames topics, int partitions, short replicationFactor,
                              Duration liveInterval) {

    public static final String DEFAULT_APPLICATION_ID = "hubble-topology";
    static final long DEFAULT_LIVE_INTERVAL_MS = 100;

    public static final ConfigKey<String> APPLICATION_ID = new ConfigKey<>("processor.application_id", "APPLICATION_ID",
            DEFAULT_APPLICATION_ID, "Kafka Streams application id; instances with the same id share the work.",
            ProcessorConfig::parseApplicationId).withOption("--application-id", "ID");
    public static final ConfigKey<String> APPLICATION_SERVER = new ConfigKey<>("processor.application_server",
            "APPLICATION_SERVER", null, "host:port where other instances reach this one's API (e.g. pod IP and API "
            + "port); unset: the API's bind address, else 127.0.0.1 when Kafka is on loopback, else this machine's "
            + "address (logged at start).", ProcessorConfig::parseHostPort)
            .withOption("--application-server", "HOST:PORT");
    public static final ConfigKey<Path> STATE_DIR = new ConfigKey<>("processor.state_dir", "STATE_DIR", null,
            "Where the state stores live; default: hubble-topology/processor-<api port> under $XDG_STATE_HOME "
            + "(~/.local/state), not the system temp directory, which the OS may clear under a running processor.", Path::of)
            .withOption("--state-dir", "DIR");
    public static final ConfigKey<Integer> THREADS = ConfigKey.integer("processor.threads", "STREAM_THREADS", "1",
            1, 64, "Kafka Streams threads.").withOption("--threads", "N");
    public static final ConfigKey<Integer> STANDBY_REPLICAS = ConfigKey.integer("processor.standby_replicas",
            "STANDBY_REPLICAS", "0", 0, 10, "Warm copies of each store kept on other instances.")
            .withOption("--standby-replicas", "N");
    public static final ConfigKey<Duration> COMMIT_INTERVAL = ConfigKey.duration("processor.commit_interval",
            "COMMIT_INTERVAL", "1s", "How often progress is committed; also how often figures reach the output topics.")
            .withOption("--commit-interval", "DURATION");
    public static final ConfigKey<Boolean> EXACTLY_ONCE = ConfigKey.bool("processor.exactly_once", "EXACTLY_ONCE",
            "false", "Process with exactly_once_v2 (Kafka transactions): counts survive a crash exactly. Needs "
            + "brokers whose transaction state log fits the cluster (transaction.state.log.replication.factor).")
            .withOption(CommandLineOption.of("--exactly-once"));
    public static final ConfigKey<Duration> WINDOW_SIZE = ConfigKey.duration("processor.window.size", "WINDOW_SIZE",
            "1m", "The tumbling window of edge figures.").withOption("--window-size", "DURATION");
    public static final ConfigKey<Duration> WINDOW_GRACE = ConfigKey.duration("processor.window.grace", "WINDOW_GRACE",
            "30s", "How late a flow may arrive and still count in its window; later flows are counted as late.")
            .withOption("--window-grace", "DURATION");
    public static final ConfigKey<Duration> WINDOW_RETENTION = ConfigKey.duration("processor.window.retention",
            "WINDOW_RETENTION", "24h", "How long windows are kept for queries (at least window size plus grace).")
            .withOption("--window-retention", "DURATION");
    public static final ConfigKey<Duration> LIVE_INTERVAL = ConfigKey.positiveDuration("processor.live_interval",
            "LIVE_INTERVAL", DEFAULT_LIVE_INTERVAL_MS + "ms", "How often the provisional figures of the edges (and the links) that changed go to "
            + "the live topic (topics.live) that the API's /ws/topology follows: live clients see a flow within about "
            + "this, whatever processor.commit_interval is. Provisional: they may run ahead of committed counts and be "
            + "corrected after a crash or rebalance (docs/topics.md).").withOption("--live-interval", "DURATION");

    public ProcessorConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(liveInterval, "liveInterval");
        if (windowSize.isZero() || windowSize.isNegative()) {
            throw new ConfigException(WINDOW_SIZE.name(), "invalid " + WINDOW_SIZE.name() + ": must be positive, was " + windowSize);
        }
        if (windowRetention.compareTo(windowSize.plus(windowGrace)) < 0) {
            throw new ConfigException(WINDOW_RETENTION.name(), "invalid " + WINDOW_RETENTION.name() + ": "
                    + windowRetention + " is shorter than window size plus grace (" + windowSize.plus(windowGrace) + ")");
        }
    }

    /**
     * What a processor role started with these settings runs with (keys as in docs/configuration.md, for example
     * {@code processor.commit_interval}), every other setting at its default as the README's {@code processor}
     * command gets it. Tests build their configuration here, so each setting they change is named as an operator
     * would set it.
     */
    public static ProcessorConfig defaults(String bootstrapServers, String applicationId, Path stateDir, TopicNames topics,
                                           Map<String, String> settings) {
        for (String key : settings.keySet()) {
            // A misspelt key would otherwise leave its setting at the default without a word.
            if (!key.startsWith(KafkaSettings.PROPERTIES_PREFIX) && keys().stream().noneMatch(k -> k.name().equals(key))) {
                throw new IllegalArgumentException("not a processor setting: " + key);
            }
        }
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putAll(KafkaSettings.topicOverrides(topics));
        all.put(KafkaSettings.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        all.put(APPLICATION_ID.name(), applicationId);
        all.put(STATE_DIR.name(), stateDir.toString());
        return from(ConfigValues.of(all));
    }

    public ProcessorConfig withApplicationServer(String hostPort) {
        return new ProcessorConfig(bootstrapServers, kafkaProperties, applicationId, hostPort, stateDir, threads, standbyReplicas,
                commitInterval, exactlyOnce, windowSize, windowGrace, windowRetention, topics, partitions, replicationFactor, liveInterval);
    }

    /**
     * Every key this class reads, for the configuration reference and unknown-key warnings: the shared Kafka
     * group with every topic, then the processor's own.
     */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(KafkaSettings.connectionKeys());
        keys.addAll(List.of(APPLICATION_ID, APPLICATION_SERVER, STATE_DIR, THREADS, STANDBY_REPLICAS, COMMIT_INTERVAL,
                EXACTLY_ONCE, WINDOW_SIZE, WINDOW_GRACE, WINDOW_RETENTION, LIVE_INTERVAL));
        keys.addAll(KafkaSettings.topicKeys());
        return List.copyOf(keys);
    }

    /** Reads and checks every key once; throws {@link ConfigException} naming the first bad one. */
    public static ProcessorConfig from(ConfigValues values) {
        KafkaSettings kafka = KafkaSettings.from(values);
        Path stateDir = values.get(STATE_DIR);
        return new ProcessorConfig(kafka.bootstrapServers(), kafka.properties(), values.get(APPLICATION_ID),
                values.get(APPLICATION_SERVER),
                stateDir != null ? stateDir : localStateDir("processor"),
                values.get(THREADS), values.get(STANDBY_REPLICAS), values.get(COMMIT_INTERVAL), values.get(EXACTLY_ONCE),
                values.get(WINDOW_SIZE), values.get(WINDOW_GRACE), values.get(WINDOW_RETENTION), kafka.topics(),
                kafka.partitions(), kafka.replicationFactor(), values.get(LIVE_INTERVAL));
    }

    /**
     * A directory for this machine's state under {@code $XDG_STATE_HOME/hubble-topology} (default
     * {@code ~/.local/state}): kept across restarts, unlike the system temp directory, which the OS may clear
     * (Kafka Streams warns about a state directory there). A user without a writable home (a container's
     * {@code /nonexistent}) gets the temp directory after all, as before.
     */
    public static Path localStateDir(String name) {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path home = Path.of(System.getProperty("user.home"));
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : java.nio.file.Files.isWritable(home) ? home.resolve(".local").resolve("state")
                : Path.of(System.getProperty("java.io.tmpdir"));
        return root.resolve("hubble-topology").resolve(name);
    }

    /** Defaults for one local instance against the given Kafka. */
    public static ProcessorConfig defaults(String bootstrapServers, Path stateDir) {
        return defaults(bootstrapServers, DEFAULT_APPLICATION_ID, stateDir, TopicNames.defaults(), Map.of());
    }

    static String parseApplicationId(String s) {
        String id = s.trim();
        if (!id.matches("^[a-zA-Z0-9._-]{1,200}$")) {
            throw new IllegalArgumentException("'" + s + "' may only hold letters, digits, '.', '_' and '-'");
        }
        return id;
    }

    static String parseHostPort(String s) {
        String v = s.trim();
        if (v.isEmpty()) {
            return null;
        }
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || v.substring(0, colon).isBlank() || v.substring(0, colon).contains(" ")) {
            throw new IllegalArgumentException("'" + s + "' is not host:port");
        }
        ConfigKey.parseInt(v.substring(colon + 1), 1, 65535);
        return v;
    }
}
