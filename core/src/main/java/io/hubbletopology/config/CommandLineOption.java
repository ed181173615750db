package io.hubbletopology.config;

import java.util.Objects;

/**
 * The command-line option that sets a {@link ConfigKey}, declared with the key so that a role's options, its
 * {@code --help} and its YAML keys cannot disagree: a role's command offers an option for each of its keys that has
 * one, with the key's description, variable and default as its help.
 *
 * <pre>{@code
 * static final ConfigKey<DiscoveryMode> MODE = ConfigKey.oneOf("discovery.mode", "DISCOVERY_MODE", "both", ...)
 *         .withOption(CommandLineOption.of("--mode", "hubble|sysfs|both"));
 * }</pre>
 *
 * @param name       the option, e.g. {@code --mode}
 * @param label      what the value looks like in {@code --help}, e.g. {@code DURATION}; null: the key's last part in
 *                   capitals (a switch, {@code --exactly-once}, shows {@code true|false} whatever it says)
 * @param repeatable whether the option may be given several times (and split at commas), its values joined as a list
 * @param required   whether the role refuses to start without it
 */
public record CommandLineOption(String name, String label, boolean repeatable, boolean required) {

    public CommandLineOption {
        Objects.requireNonNull(name, "name");
    }

    /** A switch: {@code --exactly-once} alone means true. */
    public static CommandLineOption of(String name) {
        return new CommandLineOption(name, null, false, false);
    }

    public static CommandLineOption of(String name, String label) {
        return new CommandLineOption(name, label, false, false);
    }

    /** Given several times or with commas, its values joined as one list. */
    public CommandLineOption many() {
        return new CommandLineOption(name, label, true, required);
    }

    public CommandLineOption mandatory() {
        return new CommandLineOption(name, label, repeatable, true);
    }
}
