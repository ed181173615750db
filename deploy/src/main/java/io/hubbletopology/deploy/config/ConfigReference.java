package io.hubbletopology.deploy.config;

import java.util.List;

import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.deploy.logging.LogFormat;

/**
 * The configuration reference (docs/configuration.md), rendered from the config classes' keys so that the
 * document and the code cannot drift: {@code ConfigReferenceTest} fails when they differ.
 */
public final class ConfigReference {

    private ConfigReference() {
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("Generated from the config classes (`ConfigCatalog.keys(role)`); `ConfigReferenceTest` fails when this page\n")
                .append("and the code differ (it writes the current text to `deploy/target/configuration.md`).\n\n")
                .append("Each role reads its settings from a YAML file (`--config FILE`, dotted keys below as nested mappings), then\n")
                .append("the environment, then its command-line options, the later winning. A bad value stops the role at start with\n")
                .append("one line naming the key, exit code 2. Durations are written `500ms`, `1s`, `5m`, `2h` or `1d` (a bare number is\n")
                .append("seconds); lists are comma-separated (or YAML lists). Any Kafka client property passes through as\n")
                .append("`kafka.properties.<name>` (e.g. `kafka.properties.security.protocol: SASL_SSL`), or from the environment as\n")
                .append("`KAFKA_PROPERTY_<NAME>` (`KAFKA_PROPERTY_SASL_MECHANISM` sets `sasl.mechanism`); `--set KEY=VALUE` sets any key.\n")
                .append("The Kafka and topic keys are the same for every role; an older name still read is given with the key's meaning.\n");
        for (String role : ConfigCatalog.DEPLOYED_ROLES) {
            md.append("\n## ").append(role).append("\n\n");
            md.append("| key | environment | default | meaning |\n|---|---|---|---|\n");
            for (ConfigKey<?> key : ConfigCatalog.keys(role)) {
                md.append("| `").append(key.name()).append("` | ")
                        .append(key.env() == null ? "" : "`" + key.env() + "`").append(" | ")
                        .append(key.defaultValue() == null || key.defaultValue().isEmpty() ? "" : "`" + key.defaultValue() + "`").append(" | ")
                        .append(key.description().replace("|", "\\|").replace("\n", " "))
                        .append(key.aliases().stream().map(a -> " Also read as `" + a + "`.").reduce("", String::concat))
                        .append(" |\n");
            }
        }
        md.append("\n## every role\n\nRead from the environment or the option of the same name, not from the YAML file.\n\n")
                .append("| environment | option | default | meaning |\n|---|---|---|---|\n")
                .append("| `").append(LogFormat.KEY.env()).append("` | `--log-format` | `").append(LogFormat.KEY.defaultValue())
                .append("` | ").append(LogFormat.KEY.description()).append(" |\n");
        return md.toString();
    }

    /** Prints the reference: {@code java -cp hubble-topology.jar io.hubbletopology.deploy.config.ConfigReference}. */
    public static void main(String[] args) {
        System.out.print(markdown());
    }

    static List<String> roles() {
        return ConfigCatalog.DEPLOYED_ROLES;
    }
}
