package io.hubbletopology.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import io.hubbletopology.ingest.hubble.HubbleTarget;
import io.hubbletopology.ingest.hubble.HubbleTls;
import io.hubbletopology.ingest.publish.FlowPublisher;
import io.hubbletopology.topics.ReplicationPlan;
import io.hubbletopology.topics.TopicNames;

/**
 * Everything the ingest agent needs, read once at start from {@link ConfigValues} (YAML {@code --config}, the
 * environment, the command line) into typed fields: a bad value throws {@link ConfigException} naming the key.
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
 *   properties: {security.protocol: SASL_SSL, sasl.mechanism: PLAIN}
 * }</pre>
 *
 * <pre>{@code
 * IngestConfig config = new IngestConfig(ConfigValues.load(Path.of("config.yaml"), System.getenv(), Map.of()));
 * }</pre>
 */
public final class IngestConfig {

    public static final Path DEFAULT_SYSFS_ROOT = Path.of("/sys/class/net");

    public static final ConfigKey<DiscoveryMode> MODE = new ConfigKey<>("discovery.mode", "DISCOVERY_MODE", "both",
            "What to discover: hubble (flows), sysfs (this node's link states) or both.", DiscoveryMode::parse);
    public static final ConfigKey<String> HUBBLE_ADDR = ConfigKey.string("discovery.hubble_addr", "HUBBLE_ADDR", "localhost:4245",
            "Hubble Relay (host:port, default port 4245) or the local agent's socket (unix:///var/run/cilium/hubble.sock).");
    public static final ConfigKey<Duration> POLL_INTERVAL = positive(ConfigKey.duration("discovery.poll_interval", "POLL_INTERVAL", "1s",
            "How often link states are read from sysfs (a bare number is seconds)."));
    public static final ConfigKey<Duration> SNAPSHOT_INTERVAL = positive(ConfigKey.duration("discovery.snapshot_interval",
            "SNAPSHOT_INTERVAL", "60s", "How often every link state is published, changed or not (keeps the compacted topic full)."));
    public static final ConfigKey<Path> SYSFS_ROOT = new ConfigKey<>("discovery.sysfs_root", "SYSFS_ROOT", "/sys/class/net",
            "Where the interfaces are: /sys/class/net, or the host's mounted elsewhere (/host/sys/class/net).", Path::of);
    public static final ConfigKey<String> REPLAY_FILE = new ConfigKey<>("replay.file", null, null,
            "Replay 'hubble observe -o json' output or Hubble exporter files instead of following Hubble; '-' reads stdin.",
            s -> "-".equals(s.trim()) ? "-" : readableFile(s).toString());

    public static final ConfigKey<List<Verdict>> VERDICTS = new ConfigKey<>("hubble.verdicts", "VERDICT_WHITELIST", "",
            "Verdicts to keep, sent to Hubble as a filter (e.g. FORWARDED,DROPPED); empty keeps all.", IngestConfig::verdicts);
    public static final ConfigKey<List<String>> EXCLUDE_PODS = ConfigKey.list("hubble.exclude_pods", "HUBBLE_EXCLUDE_PODS", "",
            "Pod prefixes to leave out as source or destination; 'kube-system/' leaves out a namespace.");
    public static final ConfigKey<Boolean> INCLUDE_REPLIES = ConfigKey.bool("hubble.include_replies", "HUBBLE_INCLUDE_REPLIES", "false",
            "Keep reply flows too (left out by default, as hubble-ui does); they add HTTP status classes, DNS failures and latency to the edge of the request they answer.");
    public static final ConfigKey<Duration> MAX_BACKOFF = positive(ConfigKey.duration("hubble.max_backoff", null, "30s",
            "The longest wait between reconnects to Hubble (exponential backoff with jitter, forever)."));
    public static final ConfigKey<Integer> BACKFILL = ConfigKey.integer("hubble.backfill", null, "65535", 1, 65_535,
            "Flows to ask for again after a reconnect to a Hubble that refuses 'since' with 'follow'.");
    public static final ConfigKey<Boolean> TLS_ENABLED = ConfigKey.bool("hubble.tls.enabled", "HUBBLE_TLS", "false",
            "Connect to Hubble with TLS (implied by ca_file or cert_file).");
    public static final ConfigKey<Path> TLS_CA_FILE = readableFile("hubble.tls.ca_file", "HUBBLE_TLS_CA_FILE",
            "PEM CA the Hubble server's certificate must chain to; unset: the JDK's trust store.");
    public static final ConfigKey<Path> TLS_CERT_FILE = readableFile("hubble.tls.cert_file", "HUBBLE_TLS_CERT_FILE",
            "PEM client certificate for mTLS (with key_file).");
    public static final ConfigKey<Path> TLS_KEY_FILE = readableFile("hubble.tls.key_file", "HUBBLE_TLS_KEY_FILE",
            "PEM (PKCS#8) key of the client certificate.");
    public static final ConfigKey<String> TLS_SERVER_NAME = ConfigKey.string("hubble.tls.server_name", "HUBBLE_TLS_SERVER_NAME", null,
            "The name Hubble's certificate carries when it is not the address's host (e.g. ui.hubble-relay.cilium.io).");

    public static final ConfigKey<String> BOOTSTRAP_SERVERS = ConfigKey.string("kafka.bootstrap_servers", "KAFKA_BOOTSTRAP_SERVERS",
            "127.0.0.1:9092", "Kafka's bootstrap servers.");
    public static final ConfigKey<String> TOPIC_FLOWS = ConfigKey.string("kafka.topics.flows", null, TopicNames.DEFAULT_FLOWS,
            "Topic of the flows (protobuf FlowRecord, key: the edge).");
    public static final ConfigKey<String> TOPIC_LINKS = ConfigKey.string("kafka.topics.links", null, TopicNames.DEFAULT_LINKS,
            "Compacted topic of the link states (protobuf LinkStateRecord, key: node/interface).");
    public static final ConfigKey<String> TOPIC_LOST_EVENTS = ConfigKey.string("kafka.topics.lost_events", null,
            TopicNames.DEFAULT_LOST_EVENTS, "Topic of Hubble's lost-events reports (protobuf LostEventsRecord, key: node).");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("kafka.partitions", null, "3", 1, 10_000,
            "Partitions of the topics the agent creates when they are missing (existing ones are used as they are).");
    public static final ConfigKey<Integer> REPLICATION_FACTOR = new ConfigKey<>("kafka.replication_factor", null, "auto",
            "Replication factor of the topics the agent creates. auto: 3 replicas with min.insync.replicas=2 on a cluster of three or more brokers, else one per broker and 1 (see docs/sizing.md); a number fixes it, min.insync.replicas then 2 from 3 on.", ReplicationPlan::parseFactor);
    public static final ConfigKey<Duration> FLOWS_RETENTION = positive(ConfigKey.duration("kafka.flows_retention", null, "24h",
            "Retention of the flows topic when the agent creates it."));
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
            "This node's name, for link states and flows that do not carry one; default: the host name.");
    public static final ConfigKey<String> HEALTH_HOST = ConfigKey.string("health.host", null, "0.0.0.0",
            "Address of the health and metrics HTTP server.");
    public static final ConfigKey<Integer> HEALTH_PORT = ConfigKey.integer("health.port", "HEALTH_PORT", "8081", -1, 65_535,
            "Port of /healthz, /readyz and /metrics; 0 picks a free port, -1 turns the server off.");

    private static final String KAFKA_PROPERTIES = "kafka.properties.";

    private final String bootstrapServers;
    private final Map<String, Object> kafkaProperties;
    private final String nodeName;
    private final DiscoveryMode mode;
    private final HubbleSourceSettings hubble;
    private final Path sysfsRoot;
    private final Duration pollInterval;
    private final Duration snapshotInterval;
    private final String replayFile;
    private final TopicNames topics;
    private final int partitions;
    private final short replicationFactor;
    private final Duration flowsRetention;
    private final Map<String, Object> producerSettings;
    private final String healthHost;
    private final int healthPort;

    /** @throws ConfigException naming the first key whose value cannot be used */
    public IngestConfig(ConfigValues values) {
        bootstrapServers = nonBlank(values, BOOTSTRAP_SERVERS);
        kafkaProperties = Map.copyOf(values.withPrefix(KAFKA_PROPERTIES));
        String node = values.get(NODE_NAME);
        nodeName = node == null || node.isBlank() ? hostName() : node.trim();
        mode = values.get(MODE);
        replayFile = values.get(REPLAY_FILE);
        hubble = hubbleSettings(values, mode.hubble() && replayFile == null);
        sysfsRoot = values.get(SYSFS_ROOT);
        pollInterval = values.get(POLL_INTERVAL);
        snapshotInterval = values.get(SNAPSHOT_INTERVAL);
        topics = new TopicNames(nonBlank(values, TOPIC_FLOWS), nonBlank(values, TOPIC_LINKS), nonBlank(values, TOPIC_LOST_EVENTS),
                TopicNames.DEFAULT_DEAD_LETTER, TopicNames.DEFAULT_EDGE_UPDATES, TopicNames.DEFAULT_LINK_CHANGES,
                TopicNames.DEFAULT_WORKLOAD_CHANGES);
        partitions = values.get(PARTITIONS);
        replicationFactor = values.get(REPLICATION_FACTOR).shortValue();
        flowsRetention = values.get(FLOWS_RETENTION);
        Map<String, Object> producer = new HashMap<>(FlowPublisher.defaults());
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, values.get(COMPRESSION));
        producer.put(ProducerConfig.LINGER_MS_CONFIG, (int) values.get(LINGER).toMillis());
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, values.get(BATCH_SIZE));
        producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, values.get(BUFFER_MEMORY).longValue());
        producerSettings = Map.copyOf(producer);
        healthHost = values.get(HEALTH_HOST);
        healthPort = values.get(HEALTH_PORT);
    }

    /** Only overrides on top of the defaults: for tests and roles composed in code (the demo). */
    public static IngestConfig of(Map<String, String> overrides) {
        return new IngestConfig(ConfigValues.of(overrides));
    }

    /** Override entries that make the agent use these topic names. */
    public static Map<String, String> topicOverrides(TopicNames names) {
        return Map.of(TOPIC_FLOWS.name(), names.flows(), TOPIC_LINKS.name(), names.links(),
                TOPIC_LOST_EVENTS.name(), names.lostEvents());
    }

    /** Every key, for the configuration reference and the unknown-key warning. */
    public static List<ConfigKey<?>> keys() {
        return List.of(MODE, HUBBLE_ADDR, POLL_INTERVAL, SNAPSHOT_INTERVAL, SYSFS_ROOT, REPLAY_FILE,
                VERDICTS, EXCLUDE_PODS, INCLUDE_REPLIES, MAX_BACKOFF, BACKFILL,
                TLS_ENABLED, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE, TLS_SERVER_NAME,
                BOOTSTRAP_SERVERS, TOPIC_FLOWS, TOPIC_LINKS, TOPIC_LOST_EVENTS, PARTITIONS, REPLICATION_FACTOR,
                FLOWS_RETENTION, COMPRESSION, LINGER, BATCH_SIZE, BUFFER_MEMORY,
                NODE_NAME, HEALTH_HOST, HEALTH_PORT);
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
        return new HubbleSourceSettings(target, values.get(VERDICTS), values.get(EXCLUDE_PODS), values.get(INCLUDE_REPLIES),
                values.get(MAX_BACKOFF), tls, values.get(BACKFILL));
    }

    private static List<Verdict> verdicts(String text) {
        List<Verdict> keep = new ArrayList<>();
        for (String v : ConfigKey.parseList(text)) {
            keep.add(java.util.Arrays.stream(Verdict.values())
                    .filter(c -> c != Verdict.UNRECOGNIZED && c != Verdict.VERDICT_UNKNOWN && c.name().equalsIgnoreCase(v))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + v + "' is not a Hubble verdict "
                            + "(FORWARDED, DROPPED, ERROR, AUDIT, REDIRECTED, TRACED, TRANSLATED)")));
        }
        return List.copyOf(keep);
    }

    private static String compression(String text) {
        String c = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(c)) {
            throw new IllegalArgumentException("'" + text + "' is not one of none, gzip, snappy, lz4, zstd");
        }
        return c;
    }

    private static ConfigKey<Path> readableFile(String name, String env, String description) {
        return new ConfigKey<>(name, env, null, description, IngestConfig::readableFile);
    }

    private static Path readableFile(String text) {
        Path p = Path.of(text.trim());
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new IllegalArgumentException("cannot read file " + p);
        }
        return p;
    }

    private static ConfigKey<Duration> positive(ConfigKey<Duration> key) {
        return new ConfigKey<>(key.name(), key.env(), key.defaultValue(), key.description(), s -> {
            Duration d = key.parser().apply(s);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be positive, was '" + s + "'");
            }
            return d;
        });
    }

    private static String nonBlank(ConfigValues values, ConfigKey<String> key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key.name(), "invalid " + key.name() + ": must not be empty");
        }
        return v.trim();
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
        Map<String, Object> props = new LinkedHashMap<>(kafkaProperties);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "hubble-topology-ingest-" + nodeName);
        return props;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The pass-through Kafka client properties ({@code kafka.properties.*}), prefix removed. */
    public Map<String, Object> kafkaProperties() {
        return kafkaProperties;
    }

    public String nodeName() {
        return nodeName;
    }

    public DiscoveryMode mode() {
        return mode;
    }

    /** How to read Hubble; its filters also apply to replayed flows. */
    public HubbleSourceSettings hubble() {
        return hubble;
    }

    public Path sysfsRoot() {
        return sysfsRoot;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration snapshotInterval() {
        return snapshotInterval;
    }

    /** The file to replay ("-" for stdin), or null when the agent follows its live sources. */
    public String replayFile() {
        return replayFile;
    }

    public boolean replay() {
        return replayFile != null;
    }

    public TopicNames topics() {
        return topics;
    }

    public int partitions() {
        return partitions;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    public Duration flowsRetention() {
        return flowsRetention;
    }

    public String healthHost() {
        return healthHost;
    }

    /** -1: no health server; 0: any free port. */
    public int healthPort() {
        return healthPort;
    }
}
