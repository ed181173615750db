package io.hubbletopology.ingest.replay;

import java.text.ParseException;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

/**
 * RFC 3339 times as protobuf Timestamps, as protobuf's {@link Timestamps#parse} reads them. The form Hubble
 * writes ({@code 2026-11-21T08:00:00.123456789Z}: UTC, 0 to 9 fraction digits) is read here by position, since
 * {@code Timestamps.parse} goes through a {@code SimpleDateFormat} and costs more than the rest of a flow line;
 * any other form (an offset, an odd year, a leap second) is left to {@code Timestamps.parse}, which decides.
 */
final class JsonTimestamps {

    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private JsonTimestamps() {
    }

    static Timestamp parse(String text, FieldDescriptor field) throws MalformedLineException {
        Timestamp fast = utc(text);
        if (fast != null) {
            return fast;
        }
        try {
            return Timestamps.parse(text);
        } catch (ParseException | RuntimeException e) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new MalformedLineException("field " + field.getFullName() + " expects an RFC 3339 time, found \"" + shown + "\"");
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every part in range, or null for anything else. */
    static Timestamp utc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        // Before 1900 SimpleDateFormat's calendar rules (the Julian switch) are not worth copying: left to it.
        if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59
                || second > 59 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n == 21) {
                return null;
            }
            int fraction = n - 21;
            int value = digits(s, 20, fraction);
            if (value < 0) {
                return null;
            }
            nanos = value;
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        long days = daysSinceEpoch(year, month, day);
        return Timestamp.newBuilder().setSeconds(days * 86_400 + hour * 3_600L + minute * 60L + second).setNanos(nanos).build();
    }

    /** The decimal number in {@code s[from, from+count)}, or -1 if any of it is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
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

    private static long daysSinceEpoch(int year, int month, int day) {
        long y = year - 1;
        long daysBeforeYear = 365 * y + y / 4 - y / 100 + y / 400;
        int dayOfYear = DAYS_BEFORE_MONTH[month - 1] + (month > 2 && leap(year) ? 1 : 0) + day - 1;
        // 719,162 days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar.
        return daysBeforeYear + dayOfYear - 719_162;
    }
}
