package io.hubbletopology.processor.output;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import io.hubbletopology.time.UtcText;

/**
 * Reads the times of the output records. Every record carries four or more, and {@link Instant#parse} (what
 * Jackson's {@link InstantDeserializer} uses) took a quarter of the live feed's time at 1,000 workloads: the
 * form {@link Instant#toString} writes ({@code 2026-12-01T10:00:00Z}, with 1 to 9 fraction digits) is read
 * by {@link UtcText}; anything else (an offset, a number) goes to Jackson's own reader, with its errors.
 */
final class InstantText extends JsonDeserializer<Instant> {

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            Instant instant = UtcText.parse(parser.getText());
            if (instant != null) {
                return instant;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }
}
