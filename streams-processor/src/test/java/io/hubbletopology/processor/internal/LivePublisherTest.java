package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LivePublisherTest {

    @Test
    void itsProducerSettingsAreOnesKafkaAccepts() {
        // A delivery timeout below linger plus request timeout, for one, makes the producer refuse to start.
        assertThatCode(() -> new LivePublisher(Map.of("bootstrap.servers", "127.0.0.1:1"), "live").close())
                .doesNotThrowAnyException();
    }
}
