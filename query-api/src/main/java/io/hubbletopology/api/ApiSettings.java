package io.hubbletopology.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.hubbletopology.api.access.AcceptedTokens;
import io.hubbletopology.api.access.TokenFile;
import io.hubbletopology.api.flows.FlowQueryBounds;
import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;

/**
 * The query API's settings. The keys under {@code api.} and {@code websocket.} are the old agent's
 * ({@code api.host}, {@code api.port}, {@code websocket.max_clients}, {@code websocket.heartbeat_interval}),
 * so its config files keep working.
 *
 * @param host              the address to bind ({@code 0.0.0.0} for every interface)
 * @param port              the HTTP port; 0 picks a free one
 * @param mode              the discovery mode reported by {@code /health}, as the agent we replace did
 * @param tokens            bearer tokens accepted; empty (and no tokens file) means no authentication
 * @param allowedOrigins    WebSocket origins accepted; empty means any
 * @param maxClients        live clients at most, per instance
 * @param heartbeat         interval of WebSocket pings
 * @param clientQueue       flows a flow-tail client may be behind before it skips (the topology feed coalesces instead)
 * @param stallTimeout      how long a live client may leave a message untaken before it is evicted
 * @param snapshotRange     what a new live client gets as its first snapshot
 * @param keystore          a PKCS12 or JKS keystore to serve HTTPS with; null for plain HTTP
 * @param keystorePassword  the keystore's password
 * @param peerTimeout       how long a merged answer waits for another instance
 * @param tokensFile        a file of bearer tokens (a mounted Secret), re-read when it changes; null for none
 * @param metricsRequireToken whether {@code /metrics} needs a token too (when tokens are set)
 * @param flowBounds        the work one flow query may do, and how long it waits for a reader
 */
public record ApiSettings(String host, int port, String mode, List<String> tokens, List<String> allowedOrigins,
                          int maxClients, Duration heartbeat, int clientQueue, Duration stallTimeout,
                          Duration snapshotRange, Path keystore, String keystorePassword, Duration peerTimeout,
                          Path tokensFile, boolean metricsRequireToken, FlowQueryBounds flowBounds) {

    public static final ConfigKey<String> HOST = ConfigKey.string("api.host", "API_HOST", "0.0.0.0",
            "Address the query API binds (0.0.0.0: every interface).").withOption("--api-host", "HOST");
    /** The default of {@link #PORT}, which other ports are placed beside. */
    public static final int DEFAULT_PORT = 8080;

    public static final ConfigKey<Integer> PORT = ConfigKey.integer("api.port", "API_PORT", String.valueOf(DEFAULT_PORT), 0, 65_535,
            "HTTP port of the query API, the live feed and the page.").withOption("--api-port", "PORT");
    public static final ConfigKey<List<String>> TOKENS = ConfigKey.list("api.tokens", "API_TOKENS", "",
            "Bearer tokens accepted (comma-separated); empty and no api.tokens_file: no authentication. Browsers may pass ?token=.");
    public static final ConfigKey<String> TOKENS_FILE = ConfigKey.string("api.tokens_file", "API_TOKENS_FILE", null,
            "File of further bearer tokens (one per line or comma-separated), e.g. a mounted Secret; re-read every "
                    + AcceptedTokens.POLL_INTERVAL.toSeconds() + "s. Once set, requests need a token even while the file is empty or missing.");
    public static final ConfigKey<Boolean> REQUIRE_AUTH = ConfigKey.bool("api.require_auth", "API_REQUIRE_AUTH", "false",
            "Refuse to start (exit 2) unless a token is configured in api.tokens or a readable, non-empty api.tokens_file.");
    public static final ConfigKey<Boolean> METRICS_REQUIRE_TOKEN = ConfigKey.bool("api.metrics_require_token",
            "API_METRICS_REQUIRE_TOKEN", "false", "Whether /metrics needs a token too when tokens are set (the probes never do).");
    public static final ConfigKey<List<String>> ALLOWED_ORIGINS = ConfigKey.list("websocket.allowed_origins",
            "WEBSOCKET_ALLOWED_ORIGINS", "", "Origins allowed to open the live feed (comma-separated); empty: any.");
    public static final ConfigKey<Integer> MAX_CLIENTS = ConfigKey.integer("websocket.max_clients", "WEBSOCKET_MAX_CLIENTS",
            "100", 1, 1_000_000, "Live clients at most, per instance (the old agent's default: 100).");
    public static final ConfigKey<Duration> HEARTBEAT = ConfigKey.duration("websocket.heartbeat_interval",
            "WEBSOCKET_HEARTBEAT_INTERVAL", "30s", "Interval of WebSocket pings (a bare number is seconds).");
    public static final ConfigKey<Integer> CLIENT_QUEUE = ConfigKey.integer("websocket.client_queue", "WEBSOCKET_CLIENT_QUEUE",
            "1000", 1, 10_000_000, "Flows a /ws/flows client may be behind before it skips the oldest (and is told how many); a slow"
            + " /ws/topology client is not limited by it: it gets the newest state of each changed edge or interface.");
    public static final ConfigKey<Duration> STALL_TIMEOUT = ConfigKey.duration("websocket.stall_timeout",
            "WEBSOCKET_STALL_TIMEOUT", "15s", "How long a live client may leave a message untaken before it is evicted (closed with 1008).");
    public static final ConfigKey<Duration> SNAPSHOT_RANGE = ConfigKey.duration("websocket.snapshot_range",
            "WEBSOCKET_SNAPSHOT_RANGE", "5m", "The time range of the snapshot a new live client receives first.");
    public static final ConfigKey<String> KEYSTORE = ConfigKey.string("api.tls.keystore", "API_TLS_KEYSTORE", null,
            "Keystore (PKCS12 or JKS) to serve HTTPS with; unset: plain HTTP.");
    public static final ConfigKey<String> KEYSTORE_PASSWORD = ConfigKey.string("api.tls.keystore_password",
            "API_TLS_KEYSTORE_PASSWORD", "", "Password of the keystore.");
    public static final ConfigKey<Duration> PEER_TIMEOUT = ConfigKey.duration("api.peer_timeout", "API_PEER_TIMEOUT", "2s",
            "How long an answer merged across instances waits for each other instance.");
    public static final ConfigKey<Integer> FLOWS_MAX_SCANNED = ConfigKey.integer("api.flows.max_scanned", "API_FLOWS_MAX_SCANNED",
            "1000000", 1, Integer.MAX_VALUE, "Records one flow query reads from the flows topic at most; then it answers what it "
                    + "found with truncated: true and a next_cursor that goes on from there.");
    public static final ConfigKey<Duration> FLOWS_MAX_DURATION = ConfigKey.positiveDuration("api.flows.max_duration",
            "API_FLOWS_MAX_DURATION", "10s", "How long one flow query reads at most (checked between chunks); then it answers "
                    + "what it found with truncated: true and a next_cursor that goes on from there.");
    public static final ConfigKey<Duration> FLOWS_POOL_WAIT = ConfigKey.duration("api.flows.pool_wait", "API_FLOWS_POOL_WAIT",
            "2s", "How long a flow query waits for one of the instance's 4 flow readers; then it answers 503 with Retry-After.");

    public ApiSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        tokens = List.copyOf(tokens);
        allowedOrigins = List.copyOf(allowedOrigins);
        java.util.Objects.requireNonNull(flowBounds, "flowBounds");
    }

    /** Without a tokens file, with /metrics open and the default flow query bounds. */
    public ApiSettings(String host, int port, String mode, List<String> tokens, List<String> allowedOrigins,
                       int maxClients, Duration heartbeat, int clientQueue, Duration stallTimeout,
                       Duration snapshotRange, Path keystore, String keystorePassword, Duration peerTimeout) {
        this(host, port, mode, tokens, allowedOrigins, maxClients, heartbeat, clientQueue, stallTimeout, snapshotRange,
                keystore, keystorePassword, peerTimeout, null, METRICS_REQUIRE_TOKEN.defaultParsed(), defaultFlowBounds());
    }

    /** The keys' defaults but for where it listens and the mode it reports. */
    public ApiSettings(String host, int port, String mode) {
        this(host, port, mode, TOKENS.defaultParsed(), ALLOWED_ORIGINS.defaultParsed(), MAX_CLIENTS.defaultParsed(),
                HEARTBEAT.defaultParsed(), CLIENT_QUEUE.defaultParsed(), STALL_TIMEOUT.defaultParsed(),
                SNAPSHOT_RANGE.defaultParsed(), null, KEYSTORE_PASSWORD.defaultParsed(), PEER_TIMEOUT.defaultParsed());
    }

    /** The flow query bounds of the keys' defaults. */
    public static FlowQueryBounds defaultFlowBounds() {
        return new FlowQueryBounds(FLOWS_MAX_SCANNED.defaultParsed(), FLOWS_MAX_DURATION.defaultParsed(),
                FLOWS_POOL_WAIT.defaultParsed());
    }

    /** The settings of the keys; throws ConfigException naming api.require_auth when it is set and no token is. */
    public static ApiSettings from(ConfigValues values, String mode) {
        String keystore = values.get(KEYSTORE);
        ApiSettings settings = new ApiSettings(values.get(HOST), values.get(PORT), mode, values.get(TOKENS),
                values.get(ALLOWED_ORIGINS), values.get(MAX_CLIENTS), values.get(HEARTBEAT), values.get(CLIENT_QUEUE),
                values.get(STALL_TIMEOUT), values.get(SNAPSHOT_RANGE), blankIsNone(keystore), values.get(KEYSTORE_PASSWORD),
                values.get(PEER_TIMEOUT), blankIsNone(values.get(TOKENS_FILE)), values.get(METRICS_REQUIRE_TOKEN),
                new FlowQueryBounds(values.get(FLOWS_MAX_SCANNED), values.get(FLOWS_MAX_DURATION), values.get(FLOWS_POOL_WAIT)));
        if (values.get(REQUIRE_AUTH) && !settings.anyTokenConfigured()) {
            throw new ConfigException(REQUIRE_AUTH.name(), REQUIRE_AUTH.name() + " is true but no token is configured: "
                    + TOKENS.name() + " is empty and " + TOKENS_FILE.name()
                    + (settings.tokensFile() == null ? " is not set" : " (" + settings.tokensFile() + ") is missing or empty"));
        }
        return settings;
    }

    public static List<ConfigKey<?>> keys() {
        return List.of(HOST, PORT, TOKENS, TOKENS_FILE, REQUIRE_AUTH, METRICS_REQUIRE_TOKEN, ALLOWED_ORIGINS, MAX_CLIENTS,
                HEARTBEAT, CLIENT_QUEUE, STALL_TIMEOUT, SNAPSHOT_RANGE, KEYSTORE, KEYSTORE_PASSWORD, PEER_TIMEOUT,
                FLOWS_MAX_SCANNED, FLOWS_MAX_DURATION, FLOWS_POOL_WAIT);
    }

    /** At least one token, in the list or in the file as it reads now. */
    boolean anyTokenConfigured() {
        return !tokens.isEmpty() || (tokensFile != null && !new TokenFile(tokensFile).readOrNone().isEmpty());
    }

    private static Path blankIsNone(String path) {
        return path == null || path.isBlank() ? null : Path.of(path);
    }

    public ApiSettings withTokens(List<String> newTokens) {
        return new ApiSettings(host, port, mode, newTokens, allowedOrigins, maxClients, heartbeat, clientQueue,
                stallTimeout, snapshotRange, keystore, keystorePassword, peerTimeout, tokensFile, metricsRequireToken, flowBounds);
    }

    public ApiSettings withTokensFile(Path file) {
        return new ApiSettings(host, port, mode, tokens, allowedOrigins, maxClients, heartbeat, clientQueue,
                stallTimeout, snapshotRange, keystore, keystorePassword, peerTimeout, file, metricsRequireToken, flowBounds);
    }

    public ApiSettings withMetricsRequireToken(boolean guarded) {
        return new ApiSettings(host, port, mode, tokens, allowedOrigins, maxClients, heartbeat, clientQueue,
                stallTimeout, snapshotRange, keystore, keystorePassword, peerTimeout, tokensFile, guarded, flowBounds);
    }

    public ApiSettings withLiveLimits(int newMaxClients, int newClientQueue, Duration newStallTimeout) {
        return new ApiSettings(host, port, mode, tokens, allowedOrigins, newMaxClients, heartbeat, newClientQueue,
                newStallTimeout, snapshotRange, keystore, keystorePassword, peerTimeout, tokensFile, metricsRequireToken, flowBounds);
    }

    public ApiSettings withAllowedOrigins(List<String> origins) {
        return new ApiSettings(host, port, mode, tokens, origins, maxClients, heartbeat, clientQueue, stallTimeout,
                snapshotRange, keystore, keystorePassword, peerTimeout, tokensFile, metricsRequireToken, flowBounds);
    }

    public ApiSettings withFlowBounds(FlowQueryBounds bounds) {
        return new ApiSettings(host, port, mode, tokens, allowedOrigins, maxClients, heartbeat, clientQueue, stallTimeout,
                snapshotRange, keystore, keystorePassword, peerTimeout, tokensFile, metricsRequireToken, bounds);
    }
}
