package io.hubbletopology.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting of a role, declared once with everything an operator needs to know about it: its key in the
 * YAML file (dotted, e.g. {@code discovery.poll_interval}), its environment variable, its default, what it
 * means, and how its text becomes a typed value. Each role's config class lists its keys, so the
 * configuration reference can be generated from (or checked against) the code.
 *
 * <pre>{@code
 * static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration("discovery.poll_interval", "POLL_INTERVAL", "1s",
 *         "How often link states are read from sysfs.");
 * Duration poll = values.get(POLL_INTERVAL);
 * }</pre>
 *
 * @param name         the dotted YAML key
 * @param env          the environment variable that overrides it, or null when there is none
 * @param defaultValue the default as text, or null when the setting is optional with no default
 * @param description  what it means, for the reference
 * @param parser       text to value; throws IllegalArgumentException with the reason on bad text
 * @param aliases      older names of the key still read (in the YAML file and overrides), after the name itself:
 *                     a renamed key keeps working in the files and scripts that use the old name
 * @param option       the command-line option that sets it, or null when none does
 */
public record ConfigKey<T>(String name, String env, String defaultValue, String description, Function<String, T> parser,
                           List<String> aliases, CommandLineOption option) {

    private static final Pattern DURATION = Pattern.compile("^(\\d{1,12})(ms|s|m|h|d)?$");

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
        aliases = List.copyOf(aliases);
    }

    public ConfigKey(String name, String env, String defaultValue, String description, Function<String, T> parser) {
        this(name, env, defaultValue, description, parser, List.of(), null);
    }

    /** This key, also read under an older name ({@code topics.flows} also as {@code kafka.topics.flows}). */
    public ConfigKey<T> withAlias(String oldName) {
        List<String> all = new java.util.ArrayList<>(aliases);
        all.add(oldName);
        return new ConfigKey<>(name, env, defaultValue, description, parser, all, option);
    }

    /** This key, set on the command line of every role that reads it by {@code option}. */
    public ConfigKey<T> withOption(CommandLineOption option) {
        return new ConfigKey<>(name, env, defaultValue, description, parser, aliases, option);
    }

    /** This key, set on the command line by {@code --name VALUE}, {@code label} saying what the value looks like. */
    public ConfigKey<T> withOption(String optionName, String label) {
        return withOption(CommandLineOption.of(optionName, label));
    }

    /** The default as a typed value, or null when there is none: for values built in code from the same defaults. */
    public T defaultParsed() {
        return defaultValue == null ? null : parser.apply(defaultValue);
    }

    /** The name first, then the aliases: every name this key is read under. */
    public List<String> names() {
        List<String> all = new java.util.ArrayList<>(List.of(name));
        all.addAll(aliases);
        return all;
    }

    public static ConfigKey<String> string(String name, String env, String defaultValue, String description) {
        return new ConfigKey<>(name, env, defaultValue, description, s -> s);
    }

    public static ConfigKey<Integer> integer(String name, String env, String defaultValue, int min, int max, String description) {
        return new ConfigKey<>(name, env, defaultValue, description, s -> parseInt(s, min, max));
    }

    public static ConfigKey<Boolean> bool(String name, String env, String defaultValue, String description) {
        return new ConfigKey<>(name, env, defaultValue, description, ConfigKey::parseBool);
    }

    /** 500ms, 1s, 5m, 2h, 1d; a bare number is seconds (the old agent's {@code poll_interval: 5}). */
    public static ConfigKey<Duration> duration(String name, String env, String defaultValue, String description) {
        return new ConfigKey<>(name, env, defaultValue, description, ConfigKey::parseDuration);
    }

    /** A duration that must not be zero: a timeout or an interval. */
    public static ConfigKey<Duration> positiveDuration(String name, String env, String defaultValue, String description) {
        return new ConfigKey<>(name, env, defaultValue, description, s -> {
            Duration d = parseDuration(s);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be positive, was '" + s + "'");
            }
            return d;
        });
    }

    /** A comma-separated list (or a YAML list); empty text is the empty list. */
    public static ConfigKey<List<String>> list(String name, String env, String defaultValue, String description) {
        return new ConfigKey<>(name, env, defaultValue, description, ConfigKey::parseList);
    }

    /** One of an enum's constants, case-insensitive. */
    public static <E extends Enum<E>> ConfigKey<E> oneOf(String name, String env, String defaultValue, Class<E> type,
                                                         String description) {
        return new ConfigKey<>(name, env, defaultValue, description, s -> parseEnum(s, type));
    }

    /** A file that must be readable at start (a certificate, a key, a token); no default. */
    public static ConfigKey<Path> readableFile(String name, String env, String description) {
        return new ConfigKey<>(name, env, null, description, ConfigKey::parseReadableFile);
    }

    public static Path parseReadableFile(String text) {
        Path p = Path.of(text.trim());
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new IllegalArgumentException("cannot read file " + p);
        }
        return p;
    }

    public static int parseInt(String s, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is not within " + min + ".." + max);
        }
        return v;
    }

    public static boolean parseBool(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
        };
    }

    /**
     * The one duration grammar of the project, for settings and request parameters alike: a whole number and a
     * unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}; a bare number is seconds (the old agent's
     * {@code poll_interval: 5}). At most 12 digits, so that every accepted text is a {@link Duration} (no overflow).
     *
     * @throws IllegalArgumentException with the reason, on any other text
     */
    public static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a duration like 500ms, 1s, 5m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public static List<String> parseList(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    public static <E extends Enum<E>> E parseEnum(String s, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }
}
