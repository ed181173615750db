package io.hubbletopology.deploy.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** Reads durations as operators write them: 500ms, 1s, 5m, 2h, 1d; a bare number is seconds (the old agent's poll_interval: 5). */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern FORM = Pattern.compile("^(\\d{1,12})(ms|s|m|h|d)?$");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 1s, 5m, 2h or 1d");
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
}
