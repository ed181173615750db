package io.hubbletopology.processor.serde;

import java.util.function.BiFunction;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde from the two halves of a codec, with what every serde of ours does around them: a null value (a
 * tombstone, a deleted store entry) stays null both ways and never reaches the codec. The decoder gets the topic
 * too, for its message on bytes that are not a record.
 *
 * <pre>{@code
 * Serde<String> text = CodecSerde.of(s -> s.getBytes(UTF_8), (topic, bytes) -> new String(bytes, UTF_8));
 * }</pre>
 *
 * @param <T> the value
 */
public class CodecSerde<T> implements Serde<T> {

    private final Function<T, byte[]> encoder;
    private final BiFunction<String, byte[], T> decoder;

    protected CodecSerde(Function<T, byte[]> encoder, BiFunction<String, byte[], T> decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    public static <T> CodecSerde<T> of(Function<T, byte[]> encoder, BiFunction<String, byte[], T> decoder) {
        return new CodecSerde<>(encoder, decoder);
    }

    @Override
    public final Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encoder.apply(value);
    }

    @Override
    public final Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decoder.apply(topic, bytes);
    }
}
