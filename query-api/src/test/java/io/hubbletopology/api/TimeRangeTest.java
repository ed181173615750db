package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.errors.BadParameterException;

class TimeRangeTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private final Duration fallback = Duration.ofMinutes(15);

    @Test
    void readsRelativeAndAbsoluteRanges() {
        assertThat(TimeRange.parse("5m", null, null, fallback, clock).from()).isEqualTo(Instant.parse("2026-11-21T11:55:00Z"));
        assertThat(TimeRange.parse(null, null, null, fallback, clock).from()).isEqualTo(Instant.parse("2026-11-21T11:45:00Z"));
        TimeRange abs = TimeRange.parse(null, "2026-11-21T10:00:00Z", "2026-11-21T11:00:00Z", fallback, clock);
        assertThat(abs.from()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(abs.to()).isEqualTo(Instant.parse("2026-11-21T11:00:00Z"));
    }

    @Test
    void namesTheParameterThatIsWrong() {
        assertThatThrownBy(() -> TimeRange.parse("5 minutes", null, null, fallback, clock))
                .isInstanceOfSatisfying(BadParameterException.class, e -> assertThat(e.parameter()).isEqualTo("last"));
        assertThatThrownBy(() -> TimeRange.parse(null, "yesterday", null, fallback, clock))
                .isInstanceOfSatisfying(BadParameterException.class, e -> assertThat(e.parameter()).isEqualTo("from"));
        assertThatThrownBy(() -> TimeRange.parse(null, "2026-11-21T11:00:00Z", "2026-11-21T10:00:00Z", fallback, clock))
                .hasMessageContaining("after");
        assertThatThrownBy(() -> TimeRange.parse("5m", "2026-11-21T11:00:00Z", null, fallback, clock))
                .hasMessageContaining("either");
    }
}
