package io.hubbletopology.processor.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonMappingException;

class InstantTextTest {

    @Test
    void theOutputJsonReadsBothFormsAndRefusesNonsenseByName() throws Exception {
        assertThat(OutputJson.MAPPER.readValue("\"2026-12-01T10:00:00.5Z\"", Instant.class)).isEqualTo(Instant.parse("2026-12-01T10:00:00.500Z"));
        assertThat(OutputJson.MAPPER.readValue("\"2026-12-01T11:00:00+01:00\"", Instant.class)).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThatThrownBy(() -> OutputJson.MAPPER.readValue("\"2026-02-30T10:00:00Z\"", Instant.class))
                .isInstanceOf(JsonMappingException.class).hasMessageContaining("2026-02-30T10:00:00Z");
    }
}
