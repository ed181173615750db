package io.hubbletopology.ingest.replay;

import java.text.ParseException;
import java.time.Instant;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

import io.hubbletopology.time.UtcText;

/**
 * RFC 3339 times as protobuf Timestamps, as protobuf's {@link Timestamps#parse} reads them. The form Hubble
 * writes ({@code 2026-11-21T08:00:00.123456789Z}: UTC, 0 to 9 fraction digits) is read by {@link UtcText}, since
 * {@code Timestamps.parse} goes through a {@code SimpleDateFormat} and costs more than the rest of a flow line;
 * any other form (an offset, an odd year, a leap second) is left to {@code Timestamps.parse}, which decides.
 */
final class JsonTimestamps {

    /** 1900-01-01T00:00:00Z. */
    private static final long FIRST_OF_1900 = -2_208_988_800L;

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

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} from 1900 on with every part in range, or null for anything else. */
    static Timestamp utc(String s) {
        Instant instant = UtcText.parse(s);
        // Before 1900 SimpleDateFormat's calendar rules (the Julian switch) are not worth copying: left to it.
        if (instant == null || instant.getEpochSecond() < FIRST_OF_1900) {
            return null;
        }
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
