package io.hubbletopology.processor.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonMappingException;

class InstantTextTest {

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
            assertThat(InstantText.parse(instant.toString())).as(instant.toString()).isEqualTo(instant);
        }
    }

    @Test
    void anyOtherFormIsLeftToInstantParseAndMeansTheSame() {
        List<String> others = List.of("2026-12-01T10:00:00.1Z", "2026-12-01T10:00:00.12345Z", "2026-02-29T10:00:00Z",
                "2026-12-01T24:00:00Z", "2026-12-01T10:00:60Z", "2026-13-01T10:00:00Z", "2026-12-01T10:00:00.Z",
                "2026-12-01T10:00:00+01:00", "2026-12-01 10:00:00Z", "2026-12-01T10:00:00.1234567890Z", "+12026-12-01T10:00:00Z",
                "2026-12-0aT10:00:00Z", "");
        for (String text : others) {
            Instant fast = InstantText.parse(text);
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                expected = null;
            }
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(expected);
            }
        }
    }

    @Test
    void theOutputJsonReadsBothFormsAndRefusesNonsenseByName() throws Exception {
        assertThat(OutputJson.MAPPER.readValue("\"2026-12-01T10:00:00.5Z\"", Instant.class)).isEqualTo(Instant.parse("2026-12-01T10:00:00.500Z"));
        assertThat(OutputJson.MAPPER.readValue("\"2026-12-01T11:00:00+01:00\"", Instant.class)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThatThrownBy(() -> OutputJson.MAPPER.readValue("\"2026-02-30T10:00:00Z\"", Instant.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("2026-02-30T10:00:00Z");
    }
}
