package io.hubbletopology.deploy.cli;

import java.time.Duration;

import io.hubbletopology.config.ConfigKey;
import picocli.CommandLine;

/** Reads durations as operators write them: 500ms, 1s, 5m, 2h, 1d; a bare number is seconds (the old agent's poll_interval: 5). */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return ConfigKey.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
