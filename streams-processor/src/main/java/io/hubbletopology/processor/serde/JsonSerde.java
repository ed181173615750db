package io.hubbletopology.processor.serde;

import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.processor.output.OutputJson;

/** A serde for our value records, as JSON in the form of {@link OutputJson}. */
public final class JsonSerde<T> extends CodecSerde<T> {

    private static final ObjectMapper MAPPER = OutputJson.MAPPER;

    public JsonSerde(Class<T> type) {
        super(value -> write(value, type), (topic, bytes) -> read(bytes, type));
    }

    private static <T> byte[] write(T value, Class<T> type) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from JSON", e);
        }
    }
}
