package io.hubbletopology.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time range of a query: {@code last=5m} (s, m, h, d), or {@code from} and {@code to} as RFC 3339 times
 * ({@code to} defaults to now); neither gives the default range.
 */
public record TimeRange(Instant from, Instant to) {

    private static final Pattern RELATIVE = Pattern.compile("^(\\d{1,9})(s|m|h|d)$");

    public static TimeRange parse(String last, String from, String to, Duration defaultRange, Clock clock) {
        Instant now = clock.instant();
        if (last != null && (from != null || to != null)) {
            throw new BadParameterException("last", "use either last or from/to, not both");
        }
        if (last != null) {
            return new TimeRange(now.minus(duration("last", last)), now);
        }
        if (from == null && to == null) {
            return new TimeRange(now.minus(defaultRange), now);
        }
        Instant end = to == null ? now : instant("to", to);
        Instant start = from == null ? end.minus(defaultRange) : instant("from", from);
        if (start.isAfter(end)) {
            throw new BadParameterException("from", "from must not be after to");
        }
        return new TimeRange(start, end);
    }

    static Duration duration(String name, String value) {
        Matcher m = RELATIVE.matcher(value.trim());
        if (!m.matches()) {
            throw new BadParameterException(name, "'" + value + "' is not a duration like 30s, 5m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static Instant instant(String name, String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name, "'" + value + "' is not an RFC 3339 time like 2026-01-31T12:00:00Z");
        }
    }
}
