package io.hubbletopology.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

import io.hubbletopology.topics.ReplicationPlan;
import io.hubbletopology.topics.TopicNames;
import io.hubbletopology.topics.TopicProvisioner;

/**
 * The Kafka and topic settings every role shares, under the same keys in every role: where Kafka is, the client
 * properties passed through ({@code kafka.properties.*}), how topics a role creates are sized, and the topic names.
 * A role lists the keys it reads ({@link #connectionKeys()} and the topics it uses) with its own, and parses them here.
 *
 * <p>The topic names are {@code topics.*} for every role; the agent's older {@code kafka.topics.flows},
 * {@code kafka.topics.links} and {@code kafka.topics.lost_events} are still read as aliases.
 *
 * <pre>{@code
 * KafkaSettings kafka = KafkaSettings.from(ConfigValues.of(Map.of("kafka.bootstrap_servers", "kafka:9092")));
 * String flows = kafka.topics().flows();   // hubble.flows
 * }</pre>
 *
 * @param bootstrapServers  Kafka's bootstrap servers
 * @param properties        extra Kafka client properties (SASL, SSL, ...), prefix {@code kafka.properties.} removed
 * @param partitions        partitions of the topics a role creates when they are missing
 * @param replicationFactor replication factor of the topics a role creates
 * @param topics            the topic names
 */
public record KafkaSettings(String bootstrapServers, Map<String, Object> properties, int partitions,
                            short replicationFactor, TopicNames topics) {

    /** Where {@code kafka.properties.security.protocol: SSL} and the like live. */
    public static final String PROPERTIES_PREFIX = "kafka.properties.";

    /** Environment variables {@code KAFKA_PROPERTY_SASL_MECHANISM=PLAIN} become {@code kafka.properties.sasl.mechanism}. */
    public static final String PROPERTY_ENV_PREFIX = "KAFKA_PROPERTY_";

    public static final ConfigKey<String> BOOTSTRAP_SERVERS = new ConfigKey<>("kafka.bootstrap_servers",
            "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "Kafka bootstrap servers, host:port[,host:port...].",
            KafkaSettings::nonBlank).withOption("--bootstrap-servers", "HOST:PORT[,...]");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer("kafka.partitions", "KAFKA_PARTITIONS", "3",
            1, 10_000, "Partitions of the topics this role creates when they are missing (existing ones are used as they are).")
            .withOption("--partitions", "N");
    public static final ConfigKey<Integer> REPLICATION_FACTOR = new ConfigKey<>("kafka.replication_factor",
            "KAFKA_REPLICATION_FACTOR", "auto", "Replication factor of the topics this role creates (for the processor, "
            + "also of Kafka Streams' internal topics). auto: 3 replicas with min.insync.replicas=2 on a cluster of three "
            + "or more brokers, else one per broker and 1 (see docs/sizing.md); a number fixes it, min.insync.replicas "
            + "then 2 from 3 on.", ReplicationPlan::parseFactor).withOption("--replication-factor", "N");

    public static final ConfigKey<String> FLOWS_TOPIC = topic("topics.flows", TopicNames.DEFAULT_FLOWS,
            "Raw flows from the ingest agents (protobuf FlowRecord, key: the edge).").withAlias("kafka.topics.flows");
    public static final ConfigKey<String> LINKS_TOPIC = topic("topics.links", TopicNames.DEFAULT_LINKS,
            "Link states from the ingest agents, compacted (protobuf LinkStateRecord, key: node/interface).")
            .withAlias("kafka.topics.links");
    public static final ConfigKey<String> LOST_EVENTS_TOPIC = topic("topics.lost_events", TopicNames.DEFAULT_LOST_EVENTS,
            "Gaps Hubble reported (protobuf LostEventsRecord, key: node).").withAlias("kafka.topics.lost_events");
    public static final ConfigKey<String> DEAD_LETTER_TOPIC = topic("topics.dead_letter",
            TopicNames.DEFAULT_DEAD_LETTER, "Records the processor could not use, with headers saying why and where from.");
    public static final ConfigKey<String> EDGE_UPDATES_TOPIC = topic("topics.edge_updates",
            TopicNames.DEFAULT_EDGE_UPDATES, "JSON edge figures per window, for downstream consumers.");
    public static final ConfigKey<String> LINK_CHANGES_TOPIC = topic("topics.link_changes",
            TopicNames.DEFAULT_LINK_CHANGES, "JSON link states, for downstream consumers.");
    public static final ConfigKey<String> WORKLOAD_CHANGES_TOPIC = topic("topics.workload_changes",
            TopicNames.DEFAULT_WORKLOAD_CHANGES, "JSON workload inventory changes, for downstream consumers.");
    public static final ConfigKey<String> LIVE_TOPIC = topic("topics.live", TopicNames.DEFAULT_LIVE,
            "Internal: the processor's provisional edge and link states every processor.live_interval, which every "
            + "API instance follows for its live feed (short retention; not for downstream consumers).");

    public KafkaSettings {
        properties = Map.copyOf(properties);
    }

    /** Reads every shared key once; throws {@link ConfigException} naming the first bad one. */
    public static KafkaSettings from(ConfigValues values) {
        TopicNames topics = new TopicNames(values.get(FLOWS_TOPIC), values.get(LINKS_TOPIC), values.get(LOST_EVENTS_TOPIC),
                values.get(DEAD_LETTER_TOPIC), values.get(EDGE_UPDATES_TOPIC), values.get(LINK_CHANGES_TOPIC),
                values.get(WORKLOAD_CHANGES_TOPIC), values.get(LIVE_TOPIC));
        return new KafkaSettings(values.get(BOOTSTRAP_SERVERS), new LinkedHashMap<>(values.withPrefix(PROPERTIES_PREFIX)),
                values.get(PARTITIONS), values.get(REPLICATION_FACTOR).shortValue(), topics);
    }

    /** Where Kafka is and how created topics are sized: the keys every role but the broker reads. */
    public static List<ConfigKey<?>> connectionKeys() {
        return List.of(BOOTSTRAP_SERVERS, PARTITIONS, REPLICATION_FACTOR);
    }

    /** The connection keys followed by these topic keys: one role's share of the group, in reference order. */
    public static List<ConfigKey<?>> keysWithTopics(List<ConfigKey<String>> topicKeys) {
        List<ConfigKey<?>> keys = new ArrayList<>(connectionKeys());
        keys.addAll(topicKeys);
        return keys;
    }

    /** Every topic key. */
    public static List<ConfigKey<String>> topicKeys() {
        return List.of(FLOWS_TOPIC, LINKS_TOPIC, LOST_EVENTS_TOPIC, DEAD_LETTER_TOPIC, EDGE_UPDATES_TOPIC,
                LINK_CHANGES_TOPIC, WORKLOAD_CHANGES_TOPIC, LIVE_TOPIC);
    }

    /** Kafka client properties from {@code KAFKA_PROPERTY_*} environment variables, as {@code kafka.properties.*} entries. */
    public static Map<String, String> propertiesFromEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PROPERTY_ENV_PREFIX) && name.length() > PROPERTY_ENV_PREFIX.length()) {
                String property = name.substring(PROPERTY_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                out.put(PROPERTIES_PREFIX + property, value);
            }
        });
        return out;
    }

    /** Override entries that make a role use these topic names. */
    public static Map<String, String> topicOverrides(TopicNames names) {
        return Map.of(FLOWS_TOPIC.name(), names.flows(), LINKS_TOPIC.name(), names.links(),
                LOST_EVENTS_TOPIC.name(), names.lostEvents(), DEAD_LETTER_TOPIC.name(), names.deadLetter(),
                EDGE_UPDATES_TOPIC.name(), names.edgeUpdates(), LINK_CHANGES_TOPIC.name(), names.linkChanges(),
                WORKLOAD_CHANGES_TOPIC.name(), names.workloadChanges(), LIVE_TOPIC.name(), names.live());
    }

    /** What creates a role's missing topics: with these settings' partitions and replication factor. */
    public TopicProvisioner provisioner(Admin admin) {
        return new TopicProvisioner(admin, partitions, replicationFactor);
    }

    private static ConfigKey<String> topic(String name, String defaultName, String description) {
        return new ConfigKey<>(name, null, defaultName, description, KafkaSettings::parseTopicName);
    }

    static String parseTopicName(String s) {
        String name = s.trim();
        // Kafka's own rule for topic names.
        if (!name.matches("^[a-zA-Z0-9._-]{1,249}$") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + s + "' is not a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return name;
    }

    private static String nonBlank(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s.trim();
    }
}
