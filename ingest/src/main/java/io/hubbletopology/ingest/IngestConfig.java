package io.hubbletopology.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import io.hubbletopology.ingest.hubble.HubbleTarget;
import io.hubbletopology.ingest.hubble.HubbleTls;
import io.hubbletopology.ingest.publish.FlowPublisher;
import io.hubbletopology.topics.TopicNames;

/**
 * Everything the ingest agent needs, read once at start by {@link #from(ConfigValues)} (YAML {@code --config}, the
 * environment, the command line) into typed fields: a bad value throws {@link ConfigException} naming the key.
 * Kafka and the topic names are the settings every role shares ({@link KafkaSettings}, e.g. {@code topics.flows};
 * the agent's older {@code kafka.topics.flows} still works).
 * The YAML keys extend the old agent's ({@code discovery.mode}, {@code discovery.hubble_addr},
 * {@code discovery.poll_interval}); Kafka client properties (SASL, SSL, ...) pass through from
 * {@code kafka.properties.*}.
 *
 * <pre>{@code
 * discovery:
 *   mode: both                      # hubble | sysfs | both
 *   hubble_addr: "hubble-relay.kube-system:4245"   # or unix:///var/run/cilium/hubble.sock
 *   poll_interval: 1                # seconds, or 500ms, 2s...
 *   sysfs_root: /host/sys/class/net
 * hubble:
 *   verdicts: [FORWARDED, DROPPED]
 *   exclude_pods: [kube-system/]
 *   tls: {ca_file: /etc/hubble/ca.crt, cert_file: /etc/hubble/tls.crt, key_file: /etc/hubble/tls.key}
 * kafka:
 *   bootstrap_servers: kafka:9092
 * topics:
 *   flows: hubble.flows
 *   properties: {security.protocol: SASL_SSL, sasl.mechanism: PLAIN}
 * }</pre>
 *
 * <pre>{@code
 * IngestConfig config = IngestConfig.from(ConfigValues.load(Path.of("config.yaml"), System.getenv(), Map.of()));
 * }</pre>
 *
 * @param kafka            where Kafka is, the client properties passed through, topic sizes and names
 * @param nodeName         this node's name
 * @param mode             what to discover
 * @param hubble           how to read Hubble; its filters also apply to replayed flows
 * @param sysfsRoot        where the interfaces are
 * @param pollInterval     how often link states are read
 * @param snapshotInterval how often every link state is published
 * @param replayFile       the file to replay ("-" for stdin), or null when the agent follows its live sources
 * @param flowsRetention   retention of the flows topic when the agent creates it
 * @param producerSettings the producer's tuning (compression, linger, batch, buffer) on top of {@link FlowPublisher#defaults()}
 * @param healthHost       address of the health and metrics server
 * @param healthPort       -1: no health server; 0: any free port
 */
public record IngestConfig(KafkaSettings kafka, String nodeName, DiscoveryMode mode, HubbleSourceSettings hubble,
                           Path sysfsRoot, Duration pollInterval, Duration snapshotInterval, String replayFile,
                           Duration flowsRetention, Map<String, Object> producerSettings, String healthHost, int healthPort) {

    public static final Path DEFAULT_SYSFS_ROOT = Path.of("/sys/class/net");

    public static final ConfigKey<DiscoveryMode> MODE = new ConfigKey<>("discovery.mode", "DISCOVERY_MODE", "both",
            "What to discover: hubble (flows), sysfs (this node's link states) or both.", DiscoveryMode::parse)
            .withOption("--mode", "hubble|sysfs|both");
    public static final ConfigKey<String> HUBBLE_ADDR = ConfigKey.string("discovery.hubble_addr", "HUBBLE_ADDR", "localhost:4245",
            "Hubble Relay (host:port, default port 4245) or the local agent's socket (unix:///var/run/cilium/hubble.sock).")
            .withOption("--hubble-addr", "HOST:PORT|unix:///PATH");
    public static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.positiveDuration("discovery.poll_interval", "POLL_INTERVAL",
            "1s", "How often link states are read from sysfs (a bare number is seconds).")
            .withOption("--poll-interval", "DURATION");
    public static final ConfigKey<Duration> SNAPSHOT_INTERVAL = ConfigKey.positiveDuration("discovery.snapshot_interval",
            "SNAPSHOT_INTERVAL", "60s", "How often every link state is published, changed or not (keeps the compacted topic full).")
            .withOption("--snapshot-interval", "DURATION");
    public static final ConfigKey<Path> SYSFS_ROOT = new ConfigKey<>("discovery.sysfs_root", "SYSFS_ROOT", "/sys/class/net",
            "Where the interfaces are: /sys/class/net, or the host's mounted elsewhere (/host/sys/class/net).", Path::of)
            .withOption("--sysfs-root", "DIR");
    public static final ConfigKey<String> REPLAY_FILE = new ConfigKey<>("replay.file", null, null,
            "Replay 'hubble observe -o json' output or Hubble exporter files instead of following Hubble; '-' reads stdin.",
            s -> "-".equals(s.trim()) ? "-" : ConfigKey.parseReadableFile(s).toString())
            .withOption("--replay", "FILE|-");

    public static final ConfigKey<Boolean> TLS_ENABLED = ConfigKey.bool("hubble.tls.enabled", "HUBBLE_TLS", "false",
            "Connect to Hubble with TLS (implied by ca_file or cert_file).");
    public static final ConfigKey<Path> TLS_CA_FILE = ConfigKey.readableFile("hubble.tls.ca_file", "HUBBLE_TLS_CA_FILE",
            "PEM CA the Hubble server's certificate must chain to; unset: the JDK's trust store.")
            .withOption("--hubble-tls-ca", "FILE");
    public static final ConfigKey<Path> TLS_CERT_FILE = ConfigKey.readableFile("hubble.tls.cert_file", "HUBBLE_TLS_CERT_FILE",
            "PEM client certificate for mTLS (with key_file).").withOption("--hubble-tls-cert", "FILE");
    public static final ConfigKey<Path> TLS_KEY_FILE = ConfigKey.readableFile("hubble.tls.key_file", "HUBBLE_TLS_KEY_FILE",
            "PEM (PKCS#8) key of the client certificate.").withOption("--hubble-tls-key", "FILE");
    public static final ConfigKey<String> TLS_SERVER_NAME = ConfigKey.string("hubble.tls.server_name", "HUBBLE_TLS_SERVER_NAME", null,
            "The name Hubble's certificate carries when it is not the address's host (e.g. ui.hubble-relay.cilium.io).")
            .withOption("--hubble-tls-server-name", "NAME");

    public static final ConfigKey<Duration> FLOWS_RETENTION = ConfigKey.positiveDuration("kafka.flows_retention", null, "24h",
            "Retention of the flows topic when the agent creates it.").withOption("--flows-retention", "DURATION");
    public static final ConfigKey<String> COMPRESSION = new ConfigKey<>("kafka.compression", null, "lz4",
            "Producer compression: none, gzip, snappy, lz4 or zstd.", IngestConfig::compression);
    public static final ConfigKey<Duration> LINGER = ConfigKey.duration("kafka.linger", null, "20ms",
            "How long the producer waits to fill a batch.");
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer("kafka.batch_size", null, "131072", 1_024, 16 * 1024 * 1024,
            "Producer batch size in bytes, per partition.");
    public static final ConfigKey<Integer> BUFFER_MEMORY = ConfigKey.integer("kafka.buffer_memory", null, "16777216",
            1024 * 1024, Integer.MAX_VALUE,
            "Bytes the agent holds while Kafka is slow or away; when full it stops reading its sources (backpressure).");

    public static final ConfigKey<String> NODE_NAME = ConfigKey.string("node.name", "NODE_NAME", null,
            "This node's name, for link states and flows that do not carry one; unset: the host name.")
            .withOption("--node-name", "NAME");
    public static final ConfigKey<String> HEALTH_HOST = ConfigKey.string("health.host", null, "0.0.0.0",
            "Address of the health and metrics HTTP server.");
    public static final ConfigKey<Integer> HEALTH_PORT = ConfigKey.integer("health.port", "HEALTH_PORT", "8081", -1, 65_535,
            "Port of /health, /ready (aliases /healthz, /readyz) and /metrics; 0 picks a free port, -1 turns the server off.")
            .withOption("--health-port", "PORT");

    public IngestConfig {
        Objects.requireNonNull(kafka, "kafka");
        producerSettings = Map.copyOf(producerSettings);
    }

    /** Reads and checks every key once; throws {@link ConfigException} naming the first key whose value cannot be used. */
    public static IngestConfig from(ConfigValues values) {
        KafkaSettings kafka = KafkaSettings.from(values);
        String node = values.get(NODE_NAME);
        DiscoveryMode mode = values.get(MODE);
        String replayFile = values.get(REPLAY_FILE);
        HubbleSourceSettings hubble = hubbleSettings(values, mode.hubble() && replayFile == null);
        Map<String, Object> producer = new HashMap<>(FlowPublisher.defaults());
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, values.get(COMPRESSION));
        producer.put(ProducerConfig.LINGER_MS_CONFIG, (int) values.get(LINGER).toMillis());
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, values.get(BATCH_SIZE));
        producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, values.get(BUFFER_MEMORY).longValue());
        return new IngestConfig(kafka, node == null || node.isBlank() ? hostName() : node.trim(), mode, hubble,
                values.get(SYSFS_ROOT), values.get(POLL_INTERVAL), values.get(SNAPSHOT_INTERVAL), replayFile,
                values.get(FLOWS_RETENTION), producer, values.get(HEALTH_HOST), values.get(HEALTH_PORT));
    }

    /** Only overrides on top of the defaults: for tests and roles composed in code (the demo). */
    public static IngestConfig of(Map<String, String> overrides) {
        return from(ConfigValues.of(overrides));
    }

    /** Every key, for the configuration reference and the unknown-key warning. */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(MODE, HUBBLE_ADDR, POLL_INTERVAL, SNAPSHOT_INTERVAL, SYSFS_ROOT, REPLAY_FILE,
                HubbleSourceSettings.VERDICTS, HubbleSourceSettings.EXCLUDE_PODS, HubbleSourceSettings.INCLUDE_REPLIES,
                HubbleSourceSettings.MAX_BACKOFF, HubbleSourceSettings.BACKFILL,
                TLS_ENABLED, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE, TLS_SERVER_NAME));
        keys.addAll(KafkaSettings.keysWithTopics(List.of(KafkaSettings.FLOWS_TOPIC, KafkaSettings.LINKS_TOPIC,
                KafkaSettings.LOST_EVENTS_TOPIC)));
        keys.addAll(List.of(FLOWS_RETENTION, COMPRESSION, LINGER, BATCH_SIZE, BUFFER_MEMORY, NODE_NAME, HEALTH_HOST, HEALTH_PORT));
        return List.copyOf(keys);
    }

    private static HubbleSourceSettings hubbleSettings(ConfigValues values, boolean followsHubble) {
        HubbleTarget target;
        try {
            target = HubbleTarget.parse(followsHubble ? values.get(HUBBLE_ADDR) : HUBBLE_ADDR.defaultValue());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(HUBBLE_ADDR.name(), "invalid " + HUBBLE_ADDR.name() + ": " + e.getMessage());
        }
        Path ca = values.get(TLS_CA_FILE);
        Path cert = values.get(TLS_CERT_FILE);
        Path key = values.get(TLS_KEY_FILE);
        if ((cert == null) != (key == null)) {
            ConfigKey<Path> missing = cert == null ? TLS_CERT_FILE : TLS_KEY_FILE;
            throw new ConfigException(missing.name(), "invalid " + missing.name()
                    + ": a client certificate needs both hubble.tls.cert_file and hubble.tls.key_file");
        }
        boolean tlsOn = values.get(TLS_ENABLED) || ca != null || cert != null;
        HubbleTls tls = tlsOn ? new HubbleTls(true, ca, cert, key, values.get(TLS_SERVER_NAME)) : HubbleTls.PLAINTEXT;
        if (tlsOn && target.unixSocket()) {
            throw new ConfigException(TLS_ENABLED.name(), "invalid " + TLS_ENABLED.name()
                    + ": the local unix socket is plaintext; TLS applies to host:port targets only");
        }
        return new HubbleSourceSettings(target, values.get(HubbleSourceSettings.VERDICTS), values.get(HubbleSourceSettings.EXCLUDE_PODS),
                values.get(HubbleSourceSettings.INCLUDE_REPLIES), values.get(HubbleSourceSettings.MAX_BACKOFF), tls,
                values.get(HubbleSourceSettings.BACKFILL));
    }

    private static String compression(String text) {
        String c = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(c)) {
            throw new IllegalArgumentException("'" + text + "' is not one of none, gzip, snappy, lz4, zstd");
        }
        return c;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Producer and admin client properties: our defaults, then {@code kafka.properties.*}, then the servers. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> props = new LinkedHashMap<>(producerSettings);
        props.putAll(clientProperties());
        return props;
    }

    /** Properties every Kafka client of the agent shares (servers, id, SASL/SSL pass-through). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>(kafka.properties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "hubble-topology-ingest-" + nodeName);
        return props;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The pass-through Kafka client properties ({@code kafka.properties.*}), prefix removed. */
    public Map<String, Object> kafkaProperties() {
        return kafka.properties();
    }

    public boolean replay() {
        return replayFile != null;
    }

    public TopicNames topics() {
        return kafka.topics();
    }
}
