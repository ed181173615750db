package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Timeout(120)
    void aSparseAskerSeesWhatArrivedSinceItsLastAskAndWhenTheAnswerWasMade(@TempDir Path dir) throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed("fresh-it.");
        try (TopologyProcessor processor = new TopologyProcessor(withDefaultCommitInterval("fresh-it", topics, dir));
             ApiServer api = new ApiServer(new ApiSettings("127.0.0.1", 0, "both"), processor.queryService());
             var producer = new KafkaProducer<>(SharedKafka.producerConfig(kafka, Map.of()), new StringSerializer(),
                     new ByteArraySerializer())) {
            api.start();
            processor.start("127.0.0.1:" + api.port());
            await().atMost(Duration.ofSeconds(60)).until(processor::running);
            send(producer, topics, 5);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> flows(get(api, "/topology")) == 5);

            for (int ask = 1; ask <= 2; ask++) {
                get(api, "/topology");
                get(api, "/api/v1/topology?last=15m");
                send(producer, topics, 3);
                Thread.sleep(5_000);
                Instant asked = Instant.now();
                JsonNode old = get(api, "/topology");
                JsonNode versioned = get(api, "/api/v1/topology?last=15m");
                long expected = 5 + 3L * ask;
                assertThat(flows(old)).as("/topology at ask " + ask).isEqualTo(expected);
                assertThat(flows(versioned)).as("/api/v1/topology at ask " + ask).isEqualTo(expected);
                for (JsonNode answer : new JsonNode[] {old, versioned}) {
                    assertThat(Instant.parse(answer.path("as_of").asText()))
                            .isAfterOrEqualTo(asked.minus(ApiServer.ANSWER_MAX_AGE).minusMillis(50));
                    assertThat(answer.path("partial").asBoolean(true)).isFalse();
                }
            }
            for (String path : new String[] {"/links", "/api/v1/links", "/api/v1/workloads", "/api/v1/namespaces"}) {
                assertThat(get(api, path).path("as_of").asText()).as(path).isNotEmpty();
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

    /** The flows of every edge of a topology answer, summed. */
    static long flows(JsonNode topology) {
        long sum = 0;
        for (JsonNode link : topology.path("links")) {
            sum += link.path("flows").asLong();
        }
        return sum;
    }

    private static JsonNode get(ApiServer api, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
