package io.hubbletopology.deploy.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hubbletopology.ingest.IngestConfig;
import picocli.CommandLine.Option;

/**
 * The ingest agent's command-line options. Each one is an override of a key of {@link IngestConfig} (the
 * command line wins over the environment, which wins over the YAML file); values are checked there, so a bad
 * one is reported with the key's name whichever way it came in.
 */
public final class IngestOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (keys: discovery.*, hubble.*, kafka.*, node.name, health.*).")
    public Path configFile;

    @Option(names = "--mode", paramLabel = "hubble|sysfs|both", description = "What to discover (discovery.mode, env DISCOVERY_MODE). Default: both.")
    public String mode;

    @Option(names = "--hubble-addr", paramLabel = "HOST:PORT|unix:///PATH",
            description = "Hubble Relay (host:port, default port 4245) or the local agent's socket, e.g. unix:///var/run/cilium/hubble.sock "
                    + "(discovery.hubble_addr, env HUBBLE_ADDR). Default: localhost:4245.")
    public String hubbleAddr;

    @Option(names = "--node-name", description = "This node's name (node.name, env NODE_NAME). Default: the host name.")
    public String nodeName;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (kafka.bootstrap_servers, env KAFKA_BOOTSTRAP_SERVERS). Default: 127.0.0.1:9092.")
    public String bootstrapServers;

    @Option(names = "--replay", paramLabel = "FILE|-",
            description = "Replay 'hubble observe -o json' output or Hubble exporter files ('-': stdin, followed until EOF), then exit.")
    public String replay;

    @Option(names = "--verdict", split = ",", paramLabel = "VERDICT",
            description = "Keep only flows with these verdicts, e.g. FORWARDED,DROPPED (hubble.verdicts). Default: all.")
    public List<String> verdicts;

    @Option(names = "--exclude-pod", split = ",", paramLabel = "PREFIX",
            description = "Leave out flows from or to pods with this prefix; kube-system/ leaves out a namespace (hubble.exclude_pods).")
    public List<String> excludedPods;

    @Option(names = "--include-replies", description = "Keep reply flows too (hubble.include_replies; left out by default, as hubble-ui does); they add HTTP status and latency to the request's edge.")
    public Boolean includeReplies;

    @Option(names = "--hubble-tls-ca", paramLabel = "FILE", description = "PEM CA of Hubble's certificate; turns TLS on (hubble.tls.ca_file).")
    public String tlsCa;

    @Option(names = "--hubble-tls-cert", paramLabel = "FILE", description = "PEM client certificate for mTLS (hubble.tls.cert_file).")
    public String tlsCert;

    @Option(names = "--hubble-tls-key", paramLabel = "FILE", description = "PEM key of the client certificate (hubble.tls.key_file).")
    public String tlsKey;

    @Option(names = "--hubble-tls-server-name", paramLabel = "NAME", description = "Name Hubble's certificate carries (hubble.tls.server_name).")
    public String tlsServerName;

    @Option(names = "--sysfs-root", paramLabel = "DIR", description = "Where the interfaces are (discovery.sysfs_root). Default: /sys/class/net.")
    public String sysfsRoot;

    @Option(names = "--poll-interval", description = "How often link states are read (discovery.poll_interval). Default: 1s.")
    public String pollInterval;

    @Option(names = "--snapshot-interval", description = "How often every link state is published (discovery.snapshot_interval). Default: 60s.")
    public String snapshotInterval;

    @Option(names = "--max-backoff", description = "Longest wait between reconnects to Hubble (hubble.max_backoff). Default: 30s.")
    public String maxBackoff;

    @Option(names = "--partitions", description = "Partitions of the topics the agent creates (kafka.partitions). Default: 3.")
    public String partitions;

    @Option(names = "--replication-factor", description = "Replication factor of the topics the agent creates (kafka.replication_factor): auto is 3 with min.insync.replicas=2 on three or more brokers, else one per broker. Default: auto.")
    public String replicationFactor;

    @Option(names = "--flows-retention", description = "Retention of the flows topic when the agent creates it (kafka.flows_retention). Default: 24h.")
    public String flowsRetention;

    @Option(names = "--health-port", description = "Port of /healthz, /readyz and /metrics; 0 any, -1 off (health.port, env HEALTH_PORT). Default: 8081.")
    public String healthPort;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any configuration key, e.g. --set kafka.topics.flows=my.flows --set kafka.properties.security.protocol=SSL.")
    public Map<String, String> settings = new LinkedHashMap<>();

    /** Environment variables {@code KAFKA_PROPERTY_SASL_MECHANISM=PLAIN} become {@code kafka.properties.sasl.mechanism}. */
    static final String KAFKA_PROPERTY_ENV_PREFIX = "KAFKA_PROPERTY_";

    /** The options given, as override entries of {@link IngestConfig}'s keys. */
    public Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>(settings);
        put(out, IngestConfig.MODE.name(), mode);
        put(out, IngestConfig.HUBBLE_ADDR.name(), hubbleAddr);
        put(out, IngestConfig.NODE_NAME.name(), nodeName);
        put(out, IngestConfig.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        put(out, IngestConfig.REPLAY_FILE.name(), replay);
        put(out, IngestConfig.VERDICTS.name(), verdicts == null ? null : String.join(",", verdicts));
        put(out, IngestConfig.EXCLUDE_PODS.name(), excludedPods == null ? null : String.join(",", excludedPods));
        put(out, IngestConfig.INCLUDE_REPLIES.name(), includeReplies == null ? null : includeReplies.toString());
        put(out, IngestConfig.TLS_CA_FILE.name(), tlsCa);
        put(out, IngestConfig.TLS_CERT_FILE.name(), tlsCert);
        put(out, IngestConfig.TLS_KEY_FILE.name(), tlsKey);
        put(out, IngestConfig.TLS_SERVER_NAME.name(), tlsServerName);
        put(out, IngestConfig.SYSFS_ROOT.name(), sysfsRoot);
        put(out, IngestConfig.POLL_INTERVAL.name(), pollInterval);
        put(out, IngestConfig.SNAPSHOT_INTERVAL.name(), snapshotInterval);
        put(out, IngestConfig.MAX_BACKOFF.name(), maxBackoff);
        put(out, IngestConfig.PARTITIONS.name(), partitions);
        put(out, IngestConfig.REPLICATION_FACTOR.name(), replicationFactor);
        put(out, IngestConfig.FLOWS_RETENTION.name(), flowsRetention);
        put(out, IngestConfig.HEALTH_PORT.name(), healthPort);
        return out;
    }

    /** Kafka client properties from the environment, below the command line's. */
    static Map<String, String> kafkaPropertiesFromEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(KAFKA_PROPERTY_ENV_PREFIX) && name.length() > KAFKA_PROPERTY_ENV_PREFIX.length()) {
                String property = name.substring(KAFKA_PROPERTY_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                out.put("kafka.properties." + property, value);
            }
        });
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
