package io.hubbletopology.deploy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.config.KafkaSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * A role's command whose options are derived from its settings' {@link ConfigKey}s: each key that declares a
 * command-line option ({@link ConfigKey#option()}) becomes one, in the order of the keys, whose help is the key's
 * description, variable and default, and whose value overrides the key (the command line wins over the
 * environment, which wins over the YAML file). The settings are parsed once by
 * {@link #parse}; a bad one, from wherever it came, is one line naming the key and exit code 2.
 *
 * <pre>{@code
 * @Command(name = "policy", description = "...")
 * public final class PolicyCommand extends SettingsCommand<PolicyQuery> {
 *     public PolicyCommand() {
 *         super(PolicyQuery.keys(), PolicyQuery::from, ConfigFile.NONE);
 *     }
 *     protected int run(PolicyQuery query) { ... }
 * }
 * }</pre>
 *
 * A command that only runs one role until it is stopped is a {@link RoleCommand}.
 *
 * <p>Every role's command has {@code --help} and {@code --version}, lists its options in the order of its keys,
 * and gets them from {@link Options}: the {@code @Command} below is inherited, so a role's own says its name and
 * description only.
 *
 * @param <S> the role's settings
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingsCommand.Options.class)
public abstract class SettingsCommand<S> implements Callable<Integer> {

    /** Bad configuration: the process exits with this after one line naming the key. */
    public static final int BAD_CONFIGURATION = 2;

    private static final Logger log = LoggerFactory.getLogger(SettingsCommand.class);
    private static final String CONFIG = "--config";
    private static final String SET = "--set";

    @Spec
    CommandSpec spec;

    /** Whether a role reads a YAML file ({@code --config}, and {@code --set} for any key) besides its options. */
    protected enum ConfigFile { YAML, NONE }

    private final List<ConfigKey<?>> keys;
    private final Function<ConfigValues, S> parser;
    private final ConfigFile configFile;

    /**
     * @param keys   every key the role reads; those with a command-line option are its options
     * @param parser the settings' {@code from(ConfigValues)}: reads and checks them once, throws
     *               {@link ConfigException} naming the first bad key
     * @param file   whether the role reads a YAML file too
     */
    protected SettingsCommand(List<ConfigKey<?>> keys, Function<ConfigValues, S> parser, ConfigFile file) {
        this.keys = List.copyOf(keys);
        this.parser = parser;
        this.configFile = file;
    }

    List<SettingFlag> flags() {
        return keys.stream().filter(key -> key.option() != null).map(SettingFlag::of).toList();
    }

    /** The keys the role reads from its YAML file; empty for a role without one. */
    List<ConfigKey<?>> fileKeys() {
        return configFile == ConfigFile.YAML ? keys : List.of();
    }

    S parse(ConfigValues values) {
        return parser.apply(values);
    }

    /** Runs the role with its settings; returns the exit code. */
    protected abstract int run(S settings) throws Exception;

    /** The environment the role's keys are read from; the process's own, unless a command says otherwise. */
    protected Map<String, String> environment() {
        return System.getenv();
    }

    @Override
    public final Integer call() throws Exception {
        S settings;
        try {
            settings = parse(values(environment()));
        } catch (ConfigException e) {
            // A command without a YAML file is set by its options alone: the line names the option beside the key.
            spec.commandLine().getErr().println(spec.name() + ": " + e.getMessage() + (configFile == ConfigFile.NONE ? optionOf(e.key()) : ""));
            return BAD_CONFIGURATION;
        }
        return run(settings);
    }

    /** " (option --since)" for the key the option sets; empty when no option sets it. */
    private String optionOf(String key) {
        return flags().stream().filter(f -> f.key().names().contains(key)).findFirst()
                .map(f -> " (option " + f.name() + ")").orElse("");
    }

    /** The settings from the file, the environment and the options given on the command line. */
    ConfigValues values(Map<String, String> env) {
        Path file = option(CONFIG);
        ConfigValues values = ConfigValues.load(file, env, overrides(env));
        List<String> unknown = values.unknownFileKeys(fileKeys());
        if (!unknown.isEmpty()) {
            log.warn("Ignoring unknown keys in {}: {}", file, unknown);
        }
        return values;
    }

    /** {@code KAFKA_PROPERTY_*} from the environment, then {@code --set}, then each option given. */
    Map<String, String> overrides(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(KafkaSettings.propertiesFromEnv(env));
        Map<String, String> set = option(SET);
        if (set != null) {
            out.putAll(set);
        }
        for (OptionSpec option : spec.options()) {
            if (option.userObject() instanceof SettingFlag flag && option.getValue() != null) {
                Object value = option.getValue();
                out.put(flag.key().name(), value instanceof List<?> list
                        ? String.join(",", list.stream().map(String::valueOf).toList()) : value.toString());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private <T> T option(String name) {
        OptionSpec option = spec.findOption(name);
        return option == null ? null : (T) option.getValue();
    }

    /** Adds the options of a {@link SettingsCommand} to its picocli model (named by the class's {@code @Command}). */
    public static final class Options implements IModelTransformer {

        @Override
        public CommandSpec transform(CommandSpec spec) {
            SettingsCommand<?> command = (SettingsCommand<?>) spec.userObject();
            List<ConfigKey<?>> keys = command.fileKeys();
            if (!keys.isEmpty()) {
                spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(Path.class)
                        .description("YAML configuration (keys: " + String.join(", ", groups(keys))
                                + "; docs/configuration.md).").build());
            }
            boolean readsEnvironment = !command.environment().isEmpty();
            for (SettingFlag flag : command.flags()) {
                spec.addOption(option(flag, readsEnvironment));
            }
            if (!keys.isEmpty()) {
                spec.addOption(OptionSpec.builder(SET).paramLabel("KEY=VALUE").type(Map.class)
                        .auxiliaryTypes(String.class, String.class)
                        .description("Any configuration key, e.g. --set " + KafkaSettings.FLOWS_TOPIC.name()
                                + "=my.flows --set " + KafkaSettings.PROPERTIES_PREFIX + "security.protocol=SSL.").build());
            }
            return spec;
        }

        private static OptionSpec option(SettingFlag flag, boolean readsEnvironment) {
            OptionSpec.Builder option = OptionSpec.builder(flag.name()).userObject(flag).required(flag.required())
                    .description(flag.description(readsEnvironment));
            if (flag.key().defaultParsed() instanceof Boolean) {
                // --exactly-once alone means true; --exactly-once false is accepted too.
                return option.type(String.class).arity("0..1").fallbackValue("true").paramLabel("true|false").build();
            }
            option.paramLabel(flag.label());
            if (flag.repeatable()) {
                return option.type(List.class).auxiliaryTypes(String.class).splitRegex(",").build();
            }
            return option.type(String.class).build();
        }

        /** The top-level parts of the keys, in order: discovery.*, hubble.*, kafka.*, ... */
        private static List<String> groups(List<ConfigKey<?>> keys) {
            Set<String> groups = new LinkedHashSet<>();
            for (ConfigKey<?> key : keys) {
                int dot = key.name().indexOf('.');
                groups.add(dot < 0 ? key.name() : key.name().substring(0, dot) + ".*");
            }
            return new ArrayList<>(groups);
        }
    }
}
