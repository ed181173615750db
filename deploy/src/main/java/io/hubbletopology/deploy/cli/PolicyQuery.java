package io.hubbletopology.deploy.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.hubbletopology.config.CommandLineOption;
import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;

/**
 * What the {@code policy} command asks a running processor for, with the keys its options override: read and
 * checked once, so that a bad value is one line naming it and exit code 2 before anything is asked.
 *
 * @param api       the processor's API, http or https
 * @param namespace the namespace whose workloads get policies
 * @param since     how far back the observed flows go, as given (the API reads the same duration syntax)
 * @param workload  only this workload; null for all of the namespace's
 * @param output    the directory to write one file per policy into; null writes the stream to stdout
 * @param token     the bearer token; null for none
 * @param tokenFile the file holding the bearer token; null for none
 * @param timeout   how long to wait for the answer
 */
record PolicyQuery(URI api, String namespace, String since, String workload, Path output, String token, Path tokenFile,
                   Duration timeout) {

    static final ConfigKey<URI> API = new ConfigKey<>("policy.api", null, "http://127.0.0.1:8080",
            "The processor's API, an http:// or https:// URL.", PolicyQuery::httpUrl)
            .withOption("--api", "URL");
    static final ConfigKey<String> NAMESPACE = ConfigKey.string("policy.namespace", null, null,
            "The namespace whose workloads get policies.")
            .withOption(CommandLineOption.of("--namespace", "NAMESPACE").mandatory());
    static final ConfigKey<String> SINCE = new ConfigKey<>("policy.since", null, "24h",
            "How far back the observed flows go (5m, 2h, 1d).", s -> {
                ConfigKey.parseDuration(s);
                return s.trim();
            }).withOption("--since", "DURATION");
    static final ConfigKey<String> WORKLOAD = ConfigKey.string("policy.workload", null, null,
            "Only this workload (its id, kind/name or name).").withOption("--workload", "WORKLOAD");
    static final ConfigKey<Path> OUTPUT = new ConfigKey<>("policy.output", null, null,
            "Directory to write one <policy name>.yaml per policy into; unset: the YAML goes to stdout.", Path::of)
            .withOption("--output", "DIR");
    static final ConfigKey<String> TOKEN = ConfigKey.string("policy.token", "HUBBLE_TOPOLOGY_API_TOKEN", null,
            "Bearer token for the API.").withOption("--token", "TOKEN");
    static final ConfigKey<Path> TOKEN_FILE = new ConfigKey<>("policy.token_file", null, null,
            "File holding the bearer token (a mounted Secret); read instead of policy.token.", Path::of)
            .withOption("--token-file", "FILE");
    static final ConfigKey<Duration> TIMEOUT = ConfigKey.positiveDuration("policy.timeout", null, "30s",
            "How long to wait for the answer.").withOption("--timeout", "DURATION");

    static List<ConfigKey<?>> keys() {
        return List.of(API, NAMESPACE, SINCE, WORKLOAD, OUTPUT, TOKEN, TOKEN_FILE, TIMEOUT);
    }

    static PolicyQuery from(ConfigValues values) {
        String namespace = values.get(NAMESPACE);
        if (namespace == null || namespace.isBlank()) {
            throw new ConfigException(NAMESPACE.name(), "missing " + NAMESPACE.name());
        }
        String token = values.get(TOKEN);
        return new PolicyQuery(values.get(API), namespace, values.get(SINCE), values.get(WORKLOAD), values.get(OUTPUT),
                token == null || token.isBlank() ? null : token.trim(), values.get(TOKEN_FILE), values.get(TIMEOUT));
    }

    private static URI httpUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text.trim().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' is not an http:// or https:// URL");
        }
        return uri;
    }
}
