package io.hubbletopology.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void keepsTopicsAndRecordsAcrossARestartOnTheSameDataDirectory(@TempDir Path dir) throws Exception {
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir))) {
            port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir).withPort(port))) {
            List<String> values = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", again.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("kept", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (values.size() < 10 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
            }
            assertThat(values).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        }
    }

    @Test
    void sharedBrokerServesRecords() {
        // SharedKafka proves the broker serves (produce and consume once) before returning its address.
        assertThat(SharedKafka.bootstrapServers()).startsWith("127.0.0.1:");
    }
}
