package io.hubbletopology.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The raw settings of one role, from three places, the later winning: the YAML file ({@code --config}), the
 * environment, the command line. {@link #get} turns a {@link ConfigKey} into its typed value or throws a
 * {@link ConfigException} naming the key; config classes call it once per key in their constructor.
 *
 * <pre>{@code
 * ConfigValues values = ConfigValues.load(Path.of("config.yaml"), System.getenv(), Map.of("discovery.mode", "both"));
 * DiscoveryMode mode = values.get(IngestConfig.MODE);
 * }</pre>
 */
public final class ConfigValues {

    private final Map<String, String> file;
    private final Map<String, String> env;
    private final Map<String, String> overrides;

    public ConfigValues(Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
        this.file = Map.copyOf(file);
        this.env = Map.copyOf(env);
        this.overrides = Map.copyOf(overrides);
    }

    /** Reads the YAML file (when given) and keeps the environment and overrides to consult. */
    public static ConfigValues load(Path yaml, Map<String, String> env, Map<String, String> overrides) {
        return new ConfigValues(yaml == null ? Map.of() : readYaml(yaml), env, overrides);
    }

    /** Only defaults, the environment and overrides: for tests and roles started without a file. */
    public static ConfigValues of(Map<String, String> overrides) {
        return new ConfigValues(Map.of(), Map.of(), overrides);
    }

    /** These values with one more command-line entry: a default a role derives from other settings. */
    public ConfigValues withOverride(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(overrides);
        more.put(key, value);
        return new ConfigValues(file, env, more);
    }

    /** The typed value of a key: command line, else environment, else file, else default; null when none of them. */
    public <T> T get(ConfigKey<T> key) {
        String source = "";
        String text = firstOf(overrides, key);
        if (text == null && key.env() != null && env.containsKey(key.env())) {
            text = env.get(key.env());
            source = " (from env " + key.env() + ")";
        }
        if (text == null) {
            text = firstOf(file, key);
        }
        if (text == null) {
            text = key.defaultValue();
        }
        if (text == null) {
            return null;
        }
        try {
            return key.parser().apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name(), "invalid " + key.name() + source + ": " + e.getMessage());
        }
    }

    private static String firstOf(Map<String, String> source, ConfigKey<?> key) {
        for (String name : key.names()) {
            String text = source.get(name);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    /** The keys of the file that no role declared (under its name or an alias): most likely typos, worth one warning line. */
    public List<String> unknownFileKeys(List<ConfigKey<?>> known) {
        var names = known.stream().flatMap(k -> k.names().stream()).collect(Collectors.toSet());
        return file.keySet().stream().filter(k -> !names.contains(k) && !k.startsWith("kafka.properties.")).sorted().toList();
    }

    /** File and override entries under a prefix, prefix removed: e.g. {@code kafka.properties.*} passed to Kafka clients. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        file.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        overrides.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static Map<String, String> readYaml(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path));
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read config file " + path + ": " + e.getMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root != null && !root.isNull()) {
            if (!root.isObject()) {
                throw new ConfigException("--config", "config file " + path + " is not a YAML mapping");
            }
            flatten("", root, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            node.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item.asText()));
            out.put(prefix, joined.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }
}
