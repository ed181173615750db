package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * A client that asks every few seconds, as a user with curl or a dashboard does, against a processor with the
 * default commit interval: each answer is computed after (or at most a second before) it was asked for and
 * shows what arrived since the previous ask, not the answer made at that ask.
 */
class FreshAnswersIT {

    @Test
    @Timeout(120)
    void aSparseAskerSeesWhatArrivedSinceItsLastAskAndWhenTheAnswerWasMade(@TempDir Path dir) throws Exception {
        TopicNames topics = TopicNames.prefixed("fresh-it.");
        try (RunningApi run = RunningApi.start(withDefaultCommitInterval("fresh-it", topics, dir), new ApiSettings("127.0.0.1", 0, "both"))
                     .awaitRunning();
             var producer = FlowsTopicWriter.producer(SharedKafka.bootstrapServers())) {
            send(producer, topics, 5);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> RunningApi.flows(run.getOk("/topology")) == 5);

            for (int ask = 1; ask <= 2; ask++) {
                run.getOk("/topology");
                run.getOk("/api/v1/topology?last=15m");
                send(producer, topics, 3);
                Thread.sleep(5_000);
                Instant asked = Instant.now();
                JsonNode old = run.getOk("/topology");
                JsonNode versioned = run.getOk("/api/v1/topology?last=15m");
                long expected = 5 + 3L * ask;
                assertThat(RunningApi.flows(old)).as("/topology at ask " + ask).isEqualTo(expected);
                assertThat(RunningApi.flows(versioned)).as("/api/v1/topology at ask " + ask).isEqualTo(expected);
                for (JsonNode answer : new JsonNode[] {old, versioned}) {
                    assertThat(Instant.parse(answer.path("as_of").asText()))
                            .isAfterOrEqualTo(asked.minus(ApiServer.ANSWER_MAX_AGE).minusMillis(50));
                    assertThat(answer.path("partial").asBoolean(true)).isFalse();
                }
            }
            for (String path : new String[] {"/links", "/api/v1/links", "/api/v1/workloads", "/api/v1/namespaces"}) {
                assertThat(run.getOk(path).path("as_of").asText()).as(path).isNotEmpty();
            }
        }
    }

    /** A processor of one thread on two partitions, committing as often as a processor started from the README does. */
    static ProcessorConfig withDefaultCommitInterval(String application, TopicNames topics, Path dir) {
        return ProcessorConfig.defaults(SharedKafka.bootstrapServers(), application, dir, topics,
                Map.of("processor.window.retention", "1h", "kafka.partitions", "2", "kafka.replication_factor", "1"));
    }

    private static void send(KafkaProducer<String, byte[]> producer, TopicNames topics, int n) throws Exception {
        send(producer, topics, "web-0", n);
    }

    /** {@code n} forwarded flows from the pod to shop/cart-0, each written and acknowledged before the next. */
    static void send(KafkaProducer<String, byte[]> producer, TopicNames topics, String pod, int n) throws Exception {
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            FlowRecord f = FlowRecord.newBuilder().setTimeUnixNanos((now + i) * 1_000_000L).setVerdict(Verdict.FORWARDED)
                    .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod(pod))
                    .setDestination(EndpointRef.newBuilder().setNamespace("shop").setPod("cart-0"))
                    .setProtocol(L4Protocol.TCP).setDestinationPort(8080).build();
            producer.send(new ProducerRecord<>(topics.flows(), null, now + i, EdgeKey.of(f).text(), f.toByteArray())).get();
        }
    }
}
