package io.hubbletopology.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class UtcTextTest {

    @Test
    void everyInstantReadsBackFromWhatToStringWrote() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            // Years 0000 to 9999, every fraction length toString writes (none, 3, 6 or 9 digits).
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(UtcText.parse(instant.toString())).as(instant.toString()).isEqualTo(instant);
        }
    }

    @Test
    void whatItReadsMeansWhatInstantParseReadsAndTheRestIsLeftToIt() {
        List<String> texts = List.of("2026-12-01T10:00:00.1Z", "2026-12-01T10:00:00.12345Z", "2026-02-29T10:00:00Z",
                "2024-02-29T10:00:00Z", "0000-01-01T00:00:00Z", "1900-03-01T00:00:00Z", "2026-12-01T24:00:00Z",
                "2026-12-01T10:00:60Z", "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z", "2026-12-00T10:00:00Z",
                "2026-04-31T10:00:00Z", "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00+01:00", "2026-12-01 10:00:00Z",
                "2026-12-01T10:00:00.1234567890Z", "+12026-12-01T10:00:00Z", "2026-12-0aT10:00:00Z",
                "2026-12-01T10:00:00.12a4Z", "");
        int read = 0;
        for (String text : texts) {
            Instant fast = UtcText.parse(text);
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                expected = null;
            }
            if (fast != null) {
                read++;
                assertThat(fast).as(text).isEqualTo(expected);
            }
        }
        assertThat(read).isEqualTo(5);
        // Instant.parse reads these as the next day and a smoothed leap second: left to it, so it stays the one rule.
        assertThat(UtcText.parse("2026-12-01T24:00:00Z")).isNull();
        assertThat(UtcText.parse("2026-12-01T10:00:60Z")).isNull();
    }
}
