package io.hubbletopology.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.ingest.IngestAgent;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import io.hubbletopology.ingest.testing.TopicReader;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * Kafka is down when the agent starts and stays down for a while; Hubble keeps producing. The agent holds its
 * sources back (nothing dropped, nothing buffered without bound) and delivers every flow, once, when Kafka comes.
 */
@Timeout(180)
class KafkaLateStartIT {

    private static final int FLOWS = 2_000;

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void waitsForKafkaThenDeliversEveryFlowExactlyOnce() throws Exception {
        int kafkaPort = freePort();
        String kafka = "127.0.0.1:" + kafkaPort;
        try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(21)::next)
                .flowsPerSecond(200).maxFlows(FLOWS).startPaused().start()) {
            Map<String, String> settings = new HashMap<>(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka,
                    IngestConfig.MODE.name(), "hubble", IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubble.port(),
                    HubbleSourceSettings.INCLUDE_REPLIES.name(), "true", IngestConfig.HEALTH_PORT.name(), "-1",
                    IngestConfig.NODE_NAME.name(), "late-kafka", KafkaSettings.PARTITIONS.name(), "2"));
            settings.put("kafka.properties.reconnect.backoff.max.ms", "1000");
            try (IngestAgent agent = new IngestAgent(IngestConfig.of(settings))) {
                agent.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> hubble.followers() == 1);
                hubble.resume();
                // Kafka is away for a good part of the stream.
                await().atMost(Duration.ofSeconds(30)).until(() -> hubble.emitted() >= 1_200);
                assertThat(agent.topicsReady()).isFalse();
                assertThat(agent.publisher().flowsPublished()).isZero();
                try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir).withPort(kafkaPort));
                     TopicReader topic = new TopicReader(broker.bootstrapServers(), agent.config().topics().flows())) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> topic.poll().size() >= FLOWS);
                    Thread.sleep(1_000);
                    List<String> uuids = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> r : topic.poll()) {
                        uuids.add(FlowRecord.parseFrom(r.value()).getUuid());
                    }
                    Set<String> sent = hubble.ringContents().stream().map(Flow::getUuid).collect(Collectors.toSet());
                    assertThat(sent).hasSize(FLOWS);
                    assertThat(uuids).doesNotHaveDuplicates();
                    assertThat(Set.copyOf(uuids)).isEqualTo(sent);
                    assertThat(agent.metrics().dropped().count()).isZero();
                }
            }
        }
    }
}
