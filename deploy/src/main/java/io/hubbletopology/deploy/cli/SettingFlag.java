package io.hubbletopology.deploy.cli;

import java.util.Locale;

import io.hubbletopology.config.CommandLineOption;
import io.hubbletopology.config.ConfigKey;

/**
 * The command-line option of one {@link ConfigKey}, as its key declares it ({@link ConfigKey#option()}): its name and
 * how it is typed come from the option, its description, environment variable and default from the key, so
 * {@code --help} cannot drift from the reference.
 *
 * <pre>{@code
 * SettingFlag.of(IngestConfig.MODE).description()   // "What to discover: ... Key discovery.mode, env DISCOVERY_MODE. Default: both."
 * }</pre>
 *
 * @param key the setting the option overrides; it has a {@link CommandLineOption}
 */
public record SettingFlag(ConfigKey<?> key) {

    public SettingFlag {
        if (key.option() == null) {
            throw new IllegalArgumentException("key " + key.name() + " has no command-line option");
        }
    }

    public static SettingFlag of(ConfigKey<?> key) {
        return new SettingFlag(key);
    }

    /** The option, e.g. {@code --mode}. */
    public String name() {
        return key.option().name();
    }

    /** Given several times or with commas, its values joined as one list. */
    public boolean repeatable() {
        return key.option().repeatable();
    }

    /** Whether the role refuses to start without it. */
    public boolean required() {
        return key.option().required();
    }

    /** The help line: the key's description, where else it can be set, and its default. */
    public String description() {
        return description(true);
    }

    /** The help line of a role that reads its keys' environment variables, or of one that does not (the demo). */
    public String description(boolean readsEnvironment) {
        String where = "Key " + key.name() + (key.env() == null || !readsEnvironment ? "" : ", env " + key.env()) + ".";
        return key.description() + " " + where + (required() ? "" : " Default: " + defaultText(key) + ".");
    }

    /** What the value looks like in {@code --help}: the option's label, else the key's last part in capitals. */
    public String label() {
        if (key.option().label() != null) {
            return key.option().label();
        }
        String last = key.name().substring(key.name().lastIndexOf('.') + 1);
        return last.toUpperCase(Locale.ROOT);
    }

    static String defaultText(ConfigKey<?> key) {
        if (key.defaultValue() == null) {
            return "unset";
        }
        return key.defaultValue().isEmpty() ? "empty" : key.defaultValue();
    }
}
