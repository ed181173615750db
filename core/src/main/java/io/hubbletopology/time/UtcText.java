package io.hubbletopology.time;

import java.time.Instant;

/**
 * Reads the one time form that fills our records and Hubble's JSON, {@code 2026-12-01T10:00:00.123456789Z}
 * (UTC, no fraction or 1 to 9 fraction digits), by position. {@link Instant#parse} and protobuf's
 * {@code Timestamps.parse} go through general formatters and cost more than the rest of the record around the time;
 * anything else (an offset, a sign, a leap second) is not read here, so the caller hands it to the general parser,
 * which decides and words the error.
 *
 * <pre>{@code
 * Instant t = UtcText.parse(text);
 * if (t == null) t = Instant.parse(text); // the odd forms, with the usual error
 * }</pre>
 */
public final class UtcText {

    private static final int SHORTEST = "2026-12-01T10:00:00Z".length();
    private static final int LONGEST = "2026-12-01T10:00:00.123456789Z".length();
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private UtcText() {
    }

    /** The instant {@code text} names in {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every part in range, or null. */
    public static Instant parse(CharSequence text) {
        int n = text.length();
        if (n < SHORTEST || n > LONGEST || n == SHORTEST + 1 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z'
                || (n > SHORTEST && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = n > SHORTEST ? digits(text, 20, n - 1) : 0;
        if ((year | day | hour | minute | second | nanos) < 0 || month < 1 || month > 12 || day < 1
                || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        for (int i = n - 1 - 20; n > SHORTEST && i < 9; i++) {
            nanos *= 10;
        }
        return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character there is not a digit. */
    private static int digits(CharSequence text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean leap(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 in the proleptic Gregorian calendar, as {@link java.time.LocalDate#toEpochDay} counts. */
    private static long epochDay(int year, int month, int day) {
        long y = year - 1L;
        long daysBeforeYear = 365 * y + Math.floorDiv(y, 4) - Math.floorDiv(y, 100) + Math.floorDiv(y, 400);
        int dayOfYear = DAYS_BEFORE_MONTH[month - 1] + (month > 2 && leap(year) ? 1 : 0) + day - 1;
        // 719,162 days from 0001-01-01 to 1970-01-01.
        return daysBeforeYear + dayOfYear - 719_162;
    }
}
