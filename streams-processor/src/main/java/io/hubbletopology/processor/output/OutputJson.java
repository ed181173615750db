package io.hubbletopology.processor.output;

import java.time.Instant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of the output topics' records: times as RFC 3339 text, unknown fields ignored (a newer
 * producer may add fields within the same schema version).
 *
 * <pre>{@code
 * EdgeUpdate update = OutputJson.MAPPER.readValue(record.value(), EdgeUpdate.class);
 * }</pre>
 */
public final class OutputJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("hubble-topology-instants").addDeserializer(Instant.class, new InstantText()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private OutputJson() {
    }
}
