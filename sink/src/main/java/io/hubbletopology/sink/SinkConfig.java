package io.hubbletopology.sink;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.sink.remote.RemoteWriteTarget;

/**
 * The sink role's settings, read and checked once ({@link #from}); a bad one is a {@link ConfigException} naming it.
 *
 * <pre>{@code
 * SinkConfig config = SinkConfig.from(ConfigValues.of(Map.of("sink.remote_write_url", "http://127.0.0.1:9090/api/v1/write")));
 * }</pre>
 *
 * @param windowGrace how long after a window's end the sink waits before writing it (see {@code PendingWindows})
 * @param maxPendingWindows the most edge windows held while they are not final
 * @param healthPort -1: no health and metrics port; 0: any free port
 */
public record SinkConfig(String bootstrapServers, Map<String, Object> kafkaProperties, String groupId, String edgesTopic,
                         String linksTopic, RemoteWriteTarget target, Map<String, String> extraLabels,
                         Duration windowGrace, int maxPendingWindows, int maxBatchSamples, int maxBatchBytes,
                         Duration maxBackoff, String healthHost, int healthPort) {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("sink.group_id", "SINK_GROUP_ID",
            "hubble-topology-sink", "Kafka consumer group of the sink; instances with the same group share the partitions.")
            .withOption("--group-id", "GROUP");
    public static final ConfigKey<URI> REMOTE_WRITE_URL = new ConfigKey<>("sink.remote_write_url", "REMOTE_WRITE_URL", null,
            "Prometheus remote write endpoint (required), e.g. http://prometheus:9090/api/v1/write, "
            + "http://victoria-metrics:8428/api/v1/write, https://mimir/api/v1/push.", SinkConfig::parseUrl)
            .withOption("--remote-write-url", "URL");
    public static final ConfigKey<String> BASIC_AUTH_USERNAME = ConfigKey.string("sink.basic_auth.username",
            "REMOTE_WRITE_USERNAME", null, "User for HTTP basic auth (with sink.basic_auth.password).");
    public static final ConfigKey<String> BASIC_AUTH_PASSWORD = ConfigKey.string("sink.basic_auth.password",
            "REMOTE_WRITE_PASSWORD", null, "Password for HTTP basic auth; better from the environment than from the file.");
    public static final ConfigKey<Path> BEARER_TOKEN_FILE = ConfigKey.readableFile("sink.bearer_token_file",
            "REMOTE_WRITE_BEARER_TOKEN_FILE", "File whose content is sent as a bearer token (read at start).");
    public static final ConfigKey<Path> TLS_CA_FILE = ConfigKey.readableFile("sink.tls.ca_file", "REMOTE_WRITE_CA_FILE",
            "PEM CA certificate(s) to trust for an https endpoint; unset: the JVM's trusted CAs.");
    public static final ConfigKey<String> TENANT = ConfigKey.string("sink.tenant", "REMOTE_WRITE_TENANT", null,
            "Tenant sent as X-Scope-OrgID (Mimir, Cortex); unset: no header.").withOption("--tenant", "ID");
    public static final ConfigKey<Map<String, String>> EXTRA_LABELS = new ConfigKey<>("sink.extra_labels",
            "SINK_EXTRA_LABELS", "", "Labels added to every sample, name=value[,name=value...], e.g. cluster=prod.",
            SinkConfig::parseLabels).withOption("--extra-labels", "NAME=VALUE[,...]");
    public static final ConfigKey<Duration> WINDOW_GRACE = ConfigKey.positiveDuration("sink.window_grace",
            "SINK_WINDOW_GRACE", "1m", "How long after a window's end its figures are written: at least "
            + "processor.window.grace plus processor.commit_interval, or a window may be written before its last update.");
    public static final ConfigKey<Integer> MAX_PENDING_WINDOWS = ConfigKey.integer("sink.max_pending_windows", null,
            "100000", 100, 10_000_000, "Most edge windows held until final (about 1 KiB each); at the bound the "
            + "earliest is written early and counted in hubble_topology_sink_windows_forced_total.");
    public static final ConfigKey<Integer> MAX_BATCH_SAMPLES = ConfigKey.integer("sink.batch.max_samples", null, "2000",
            1, 100_000, "Most samples in one write request.");
    public static final ConfigKey<Integer> MAX_BATCH_BYTES = ConfigKey.integer("sink.batch.max_bytes", null, "1048576",
            1_024, 64 * 1024 * 1024, "Most bytes (before compression) in one write request.");
    public static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.positiveDuration("sink.request_timeout", null,
            "10s", "How long one write request may take, connecting included.");
    public static final ConfigKey<Duration> MAX_BACKOFF = ConfigKey.positiveDuration("sink.retry.max_backoff", null,
            "30s", "Longest wait between retries of a write the TSDB could not take (5xx, 429, no connection).");
    public static final ConfigKey<String> HEALTH_HOST = ConfigKey.string("health.host", null, "0.0.0.0",
            "Address of the health and metrics port.");
    public static final ConfigKey<Integer> HEALTH_PORT = ConfigKey.integer("health.port", "HEALTH_PORT", "8082", -1,
            65_535, "Port of /health, /ready (aliases /healthz, /readyz) and /metrics; -1 turns it off.")
            .withOption("--health-port", "PORT");

    public SinkConfig {
        kafkaProperties = Map.copyOf(kafkaProperties);
        extraLabels = Map.copyOf(extraLabels);
    }

    public static List<ConfigKey<?>> keys() {
        return List.of(KafkaSettings.BOOTSTRAP_SERVERS, GROUP_ID, KafkaSettings.EDGE_UPDATES_TOPIC,
                KafkaSettings.LINK_CHANGES_TOPIC, REMOTE_WRITE_URL, BASIC_AUTH_USERNAME, BASIC_AUTH_PASSWORD,
                BEARER_TOKEN_FILE, TLS_CA_FILE, TENANT, EXTRA_LABELS, WINDOW_GRACE, MAX_PENDING_WINDOWS,
                MAX_BATCH_SAMPLES, MAX_BATCH_BYTES, REQUEST_TIMEOUT, MAX_BACKOFF, HEALTH_HOST, HEALTH_PORT);
    }

    public static SinkConfig from(ConfigValues values) {
        URI url = values.get(REMOTE_WRITE_URL);
        if (url == null) {
            throw new ConfigException(REMOTE_WRITE_URL.name(), "missing " + REMOTE_WRITE_URL.name()
                    + " (--remote-write-url, env " + REMOTE_WRITE_URL.env() + ")");
        }
        RemoteWriteTarget target = new RemoteWriteTarget(url, authorization(values), values.get(TLS_CA_FILE),
                values.get(TENANT), values.get(REQUEST_TIMEOUT));
        return new SinkConfig(values.get(KafkaSettings.BOOTSTRAP_SERVERS),
                new LinkedHashMap<>(values.withPrefix(KafkaSettings.PROPERTIES_PREFIX)), values.get(GROUP_ID),
                values.get(KafkaSettings.EDGE_UPDATES_TOPIC), values.get(KafkaSettings.LINK_CHANGES_TOPIC), target,
                values.get(EXTRA_LABELS), values.get(WINDOW_GRACE), values.get(MAX_PENDING_WINDOWS),
                values.get(MAX_BATCH_SAMPLES), values.get(MAX_BATCH_BYTES), values.get(MAX_BACKOFF),
                values.get(HEALTH_HOST), values.get(HEALTH_PORT));
    }

    private static String authorization(ConfigValues values) {
        String user = values.get(BASIC_AUTH_USERNAME);
        String password = values.get(BASIC_AUTH_PASSWORD);
        Path tokenFile = values.get(BEARER_TOKEN_FILE);
        if ((user == null) != (password == null)) {
            ConfigKey<String> missing = user == null ? BASIC_AUTH_USERNAME : BASIC_AUTH_PASSWORD;
            throw new ConfigException(missing.name(), "missing " + missing.name() + ": basic auth needs a user and a password");
        }
        if (user != null && tokenFile != null) {
            throw new ConfigException(BEARER_TOKEN_FILE.name(), "invalid " + BEARER_TOKEN_FILE.name()
                    + ": give basic auth or a bearer token, not both");
        }
        if (user != null) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        if (tokenFile != null) {
            try {
                return "Bearer " + Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new ConfigException(BEARER_TOKEN_FILE.name(), "cannot read " + BEARER_TOKEN_FILE.name() + " " + tokenFile);
            }
        }
        return null;
    }

    private static URI parseUrl(String text) {
        try {
            URI url = new URI(text.trim());
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("'" + text + "' is not an http:// or https:// URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static Map<String, String> parseLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : ConfigKey.parseList(text)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq).trim();
            if (eq < 0 || !LABEL_NAME.matcher(name).matches() || name.startsWith("__") || pair.substring(eq + 1).isBlank()) {
                throw new IllegalArgumentException("'" + pair + "' is not name=value with a Prometheus label name");
            }
            labels.put(name, pair.substring(eq + 1).trim());
        }
        return labels;
    }
}
