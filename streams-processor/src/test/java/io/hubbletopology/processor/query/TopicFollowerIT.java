package io.hubbletopology.processor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.broker.SharedKafka;

/**
 * The API starts before the processor has created its topics, and a processor may start before its broker:
 * the live feed's follower keeps waiting for Kafka instead of giving up, and follows once it is there.
 */
class TopicFollowerIT {

    @Test
    @Timeout(120)
    void followsATopicOnABrokerThatComesUpAfterIt(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String kafka = "127.0.0.1:" + port;
        List<String> received = new CopyOnWriteArrayList<>();
        try (TopicFollower follower = new TopicFollower(Map.of("bootstrap.servers", kafka), List.of("late.topic"),
                r -> received.add(new String(r.value())))) {
            follower.start("late-follower");
            // Longer than one metadata wait (5 s): the follower has met at least one timeout before the broker exists.
            Thread.sleep(7_000);
            assertThat(follower.following()).isFalse();
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir).withPort(port))) {
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
                    admin.createTopics(List.of(new NewTopic("late.topic", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(60)).until(follower::following);
                try (var producer = new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of()), new StringSerializer(),
                        new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>("late.topic", "k", "hello".getBytes())).get(30, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("hello"));
            }
        }
    }
}
