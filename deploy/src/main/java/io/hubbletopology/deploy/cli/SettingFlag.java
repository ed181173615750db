package io.hubbletopology.deploy.cli;

import java.util.Locale;

import io.hubbletopology.config.ConfigKey;

/**
 * One command-line option that overrides one {@link ConfigKey}. Only the option's name (and how it is typed) is
 * said here; its description, environment variable and default are the key's, so {@code --help} cannot drift from
 * the reference.
 *
 * <pre>{@code
 * SettingFlag.of("--mode", IngestConfig.MODE).label("hubble|sysfs|both")
 * }</pre>
 *
 * @param name       the option, e.g. {@code --mode}
 * @param key        the setting it overrides
 * @param paramLabel what the value looks like in {@code --help}; null: the key's last part in capitals
 * @param repeatable whether the option may be given several times (and split at commas), its values joined as a list
 * @param required   whether the role refuses to start without it
 */
public record SettingFlag(String name, ConfigKey<?> key, String paramLabel, boolean repeatable, boolean required) {

    public static SettingFlag of(String name, ConfigKey<?> key) {
        return new SettingFlag(name, key, null, false, false);
    }

    public SettingFlag label(String label) {
        return new SettingFlag(name, key, label, repeatable, required);
    }

    /** Given several times or with commas, its values joined as one list. */
    public SettingFlag many() {
        return new SettingFlag(name, key, paramLabel, true, required);
    }

    public SettingFlag mandatory() {
        return new SettingFlag(name, key, paramLabel, repeatable, true);
    }

    /** The help line: the key's description, where else it can be set, and its default. */
    public String description() {
        return description(true);
    }

    /** The help line of a role that reads its keys' environment variables, or of one that does not (the demo). */
    public String description(boolean readsEnvironment) {
        String where = "Key " + key.name() + (key.env() == null || !readsEnvironment ? "" : ", env " + key.env()) + ".";
        return key.description() + " " + where + (required ? "" : " Default: " + defaultText(key) + ".");
    }

    public String label() {
        if (paramLabel != null) {
            return paramLabel;
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
