package io.hubbletopology.config;

/**
 * A setting that cannot be used. Its message is the one line an operator sees at start: which key (and
 * environment variable) and why. Roles exit with code 2 on it.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
