package io.hubbletopology.api;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.processor.errors.BadParameterException;

/**
 * The time range of a query: {@code last=5m} (the project's one duration grammar, {@link ConfigKey#parseDuration}),
 * or {@code from} and {@code to} as RFC 3339 times ({@code to} defaults to now); neither gives the default range.
 * Every time a parameter names, absolute or relative, lies within {@link #EARLIEST} .. {@link #LATEST}: outside,
 * the parameter is refused by name rather than overflowing further down (epoch milliseconds, Kafka timestamps).
 */
public record TimeRange(Instant from, Instant to) {

    /** Nothing the API holds is older than the Unix epoch; Kafka refuses negative timestamps. */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The last instant RFC 3339's four-digit years can write. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public static TimeRange parse(String last, String from, String to, Duration defaultRange, Clock clock) {
        Instant now = clock.instant();
        if (last != null && (from != null || to != null)) {
            throw new BadParameterException("last", "use either last or from/to, not both");
        }
        if (last != null) {
            return new TimeRange(before("last", now, duration("last", last)), now);
        }
        if (from == null && to == null) {
            return new TimeRange(now.minus(defaultRange), now);
        }
        Instant end = to == null ? now : instant("to", to);
        Instant start = from == null ? notBeforeEarliest(end, defaultRange) : instant("from", from);
        if (start.isAfter(end)) {
            throw new BadParameterException("from", "from must not be after to");
        }
        return new TimeRange(start, end);
    }

    /** A duration parameter, in the grammar of the settings: 500ms, 30s, 5m, 2h, 1d (a bare number is seconds). */
    public static Duration duration(String name, String value) {
        try {
            return ConfigKey.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(name, e.getMessage());
        }
    }

    /** An RFC 3339 time parameter, within {@link #EARLIEST} .. {@link #LATEST}. */
    public static Instant instant(String name, String value) {
        Instant parsed;
        try {
            parsed = Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name, "'" + value + "' is not an RFC 3339 time like 2026-01-31T12:00:00Z");
        }
        return inRange(name, parsed);
    }

    /** The time {@code ago} before {@code end}, refused by name when it falls before {@link #EARLIEST}. */
    public static Instant before(String name, Instant end, Duration ago) {
        try {
            return inRange(name, end.minus(ago));
        } catch (DateTimeException | ArithmeticException e) {
            throw outOfRange(name);
        }
    }

    /** The time {@code ago} before {@code end}, or {@link #EARLIEST} when that is earlier: for default ranges. */
    public static Instant notBeforeEarliest(Instant end, Duration ago) {
        return end.minus(ago).isBefore(EARLIEST) ? EARLIEST : end.minus(ago);
    }

    private static Instant inRange(String name, Instant t) {
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw outOfRange(name);
        }
        return t;
    }

    private static BadParameterException outOfRange(String name) {
        return new BadParameterException(name, "out of range: times must lie between " + EARLIEST + " and 9999-12-31T23:59:59Z");
    }
}
