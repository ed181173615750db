package io.hubbletopology.processor.output;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

/**
 * Reads the times of the output records. Every record carries four or more, and {@link Instant#parse} (what
 * Jackson's {@link InstantDeserializer} uses) took a quarter of the live feed's time at 1,000 workloads: the
 * form {@link Instant#toString} writes ({@code 2026-12-01T10:00:00Z}, with 1 to 9 fraction digits) is read
 * here directly; anything else (an offset, a number) goes to Jackson's own reader, with its errors.
 */
final class InstantText extends JsonDeserializer<Instant> {

    private static final int SHORTEST = "2026-12-01T10:00:00Z".length();
    private static final int LONGEST = "2026-12-01T10:00:00.123456789Z".length();

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            Instant instant = parse(parser.getText());
            if (instant != null) {
                return instant;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }

    /** The instant {@code text} names in the UTC form {@link Instant#toString} writes, or null if it is not in it. */
    static Instant parse(String text) {
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
        if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        for (int i = n - 1 - 20; n > SHORTEST && i < 9; i++) {
            nanos *= 10;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character there is not a digit. */
    private static int digits(String text, int from, int to) {
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
}
