package io.hubbletopology.deploy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.deploy.Main;
import io.hubbletopology.deploy.roles.ProcessorRoleSettings;
import io.hubbletopology.deploy.logging.LogFormat;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.sink.SinkConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one place that says which environment variables each role of the jar reads, so deployment files
 * (Kubernetes manifests, the local cluster script) can be checked against the code instead of against a
 * list that drifts.
 *
 * <p>A role reads the environment through its settings' keys (each {@link ConfigKey} names its variable; the
 * role's settings class lists its keys) and through any command-line option default of the form
 * {@code defaultValue = "${env:NAME:-...}"}, read off the picocli model of the role. Both are listed.
 *
 * <pre>{@code
 * Set<String> env = ConfigCatalog.envVars("ingest");   // [DISCOVERY_MODE, HUBBLE_ADDR, KAFKA_BOOTSTRAP_SERVERS, NODE_NAME]
 * }</pre>
 */
public final class ConfigCatalog {

    /** The roles that run in a cluster, each a subcommand of {@link Main}. */
    public static final List<String> DEPLOYED_ROLES = List.of("ingest", "processor", "sink");

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

    private ConfigCatalog() {
    }

    /** The environment variables a role reads, sorted; throws for a role the jar does not have. */
    public static SortedSet<String> envVars(String role) {
        SortedSet<String> names = new TreeSet<>(List.of(LogFormat.KEY.env()));
        for (OptionSpec option : command(role).getCommandSpec().options()) {
            envReferences(option.defaultValue()).forEach(names::add);
        }
        for (ConfigKey<?> key : keys(role)) {
            if (key.env() != null) {
                names.add(key.env());
            }
        }
        return names;
    }

    /** The settings a role reads from its YAML file, environment and options, in the order the reference lists them. */
    public static List<ConfigKey<?>> keys(String role) {
        command(role);
        return switch (role) {
            case "ingest" -> IngestConfig.keys();
            case "processor" -> ProcessorRoleSettings.keys();
            case "sink" -> SinkConfig.keys();
            default -> List.of();
        };
    }

    private static CommandLine command(String role) {
        // Uninterpolated, so the defaults read "${env:NAME:-...}" rather than the value of NAME here.
        Map<String, CommandLine> roles = new CommandLine(new Main()).setInterpolateVariables(false).getSubcommands();
        CommandLine command = roles.get(role);
        if (command == null) {
            throw new IllegalArgumentException("the jar has no role '" + role + "'; it has " + roles.keySet());
        }
        return command;
    }

    static List<String> envReferences(String text) {
        if (text == null) {
            return List.of();
        }
        Matcher m = ENV_REFERENCE.matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
