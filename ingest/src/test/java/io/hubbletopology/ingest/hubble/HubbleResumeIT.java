package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.ingest.IngestAgent;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.publish.FlowPublisher;
import io.hubbletopology.ingest.testing.LogCapture;
import io.hubbletopology.ingest.testing.TestTopics;
import io.hubbletopology.ingest.testing.TopicReader;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.LostEventsRecord;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/** Hubble goes away mid-stream and comes back: nothing missing, nothing twice, in the topic. */
@Timeout(120)
class HubbleResumeIT {

    private static final int BEFORE_RESTART = 1_000;
    private static final int TOTAL = 2_000;

    private static Map<String, String> agentSettings(String kafka, TopicNames topics, int hubblePort) {
        Map<String, String> settings = new HashMap<>(KafkaSettings.topicOverrides(topics));
        settings.putAll(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), kafka, IngestConfig.MODE.name(), "hubble",
                IngestConfig.HUBBLE_ADDR.name(), "127.0.0.1:" + hubblePort, HubbleSourceSettings.INCLUDE_REPLIES.name(), "true",
                HubbleSourceSettings.MAX_BACKOFF.name(), "1s", IngestConfig.HEALTH_PORT.name(), "-1", IngestConfig.NODE_NAME.name(), "resume-it"));
        return settings;
    }

    /** A new server on the port the old one had; the OS may need a moment to release it. */
    private static SimulatedHubbleServer restart(int port, List<Flow> ring, SyntheticCluster cluster, boolean refuseSince) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                SimulatedHubbleServer.Builder b = SimulatedHubbleServer.builder().port(port).preload(ring)
                        .source(cluster::next).flowsPerSecond(1_000).maxFlows(TOTAL);
                return (refuseSince ? b.refuseSinceWithFollow() : b).start();
            } catch (RuntimeException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Test
    void serverRestartMidStreamLeavesNoGapAndNoDuplicateInTheTopic() {
        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed("resume-it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        SyntheticCluster cluster = new SyntheticCluster(5);
        SimulatedHubbleServer first = SimulatedHubbleServer.builder().source(cluster::next).flowsPerSecond(1_000)
                .maxFlows(BEFORE_RESTART).startPaused().start();
        int port = first.port();
        try (IngestAgent agent = new IngestAgent(IngestConfig.of(agentSettings(kafka, topics, port)));
             TopicReader topic = new TopicReader(kafka, topics.flows())) {
            agent.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.followers() == 1);
            first.resume();
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.publisher().flowsPublished() >= 300);
            first.close();
            List<Flow> ring = first.ringContents();
            try (SimulatedHubbleServer second = restart(port, ring, cluster, false)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> second.emitted() == TOTAL
                        && topic.poll().size() >= TOTAL);
                Thread.sleep(1_000);
                List<String> uuids = uuids(topic.poll());
                Set<String> sent = second.ringContents().stream().map(Flow::getUuid).collect(Collectors.toSet());
                assertThat(sent).hasSize(TOTAL);
                assertThat(uuids).doesNotHaveDuplicates();
                assertThat(Set.copyOf(uuids)).isEqualTo(sent);
                assertThat(agent.metrics().reconnects().count()).isGreaterThanOrEqualTo(1);
                assertThat(second.requests().get(0).hasSince()).as("resumed with since").isTrue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            first.close();
        }
    }

    @Test
    void resumesByNumberWhenTheServerRefusesSinceWithFollow() {
        SyntheticCluster cluster = new SyntheticCluster(6);
        List<String> received = new CopyOnWriteArrayList<>();
        SimulatedHubbleServer first = SimulatedHubbleServer.builder().source(cluster::next).flowsPerSecond(1_000)
                .maxFlows(BEFORE_RESTART).refuseSinceWithFollow().startPaused().start();
        int port = first.port();
        HubbleSourceSettings settings = HubbleSourceSettings.of("127.0.0.1:" + port).withFilters(List.of(), List.of(), true)
                .withMaxBackoff(Duration.ofSeconds(1));
        try (HubbleFlowSource source = new HubbleFlowSource(settings, "n", (FlowRecord f) -> received.add(f.getUuid()),
                lost -> { }, IngestMetrics.inMemory())) {
            source.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.followers() == 1);
            first.resume();
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 300);
            first.close();
            try (SimulatedHubbleServer second = restart(port, first.ringContents(), cluster, true)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> second.emitted() == TOTAL && received.size() >= TOTAL);
                Thread.sleep(500);
                Set<String> sent = second.ringContents().stream().map(Flow::getUuid).collect(Collectors.toSet());
                assertThat(received).doesNotHaveDuplicates();
                assertThat(Set.copyOf(received)).isEqualTo(sent);
                assertThat(source.resumesByNumber()).isTrue();
                assertThat(second.requests().get(0).hasSince()).as("first asked with since, refused").isTrue();
                assertThat(second.requests().get(1).hasSince()).isFalse();
                assertThat(second.requests().get(1).getNumber()).isEqualTo(HubbleSourceSettings.DEFAULT_BACKFILL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            first.close();
        }
    }

    @Test
    void lostEventsAreCountedLoggedOncePerBurstAndPublished() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.prefixed("lost-it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        IngestMetrics metrics = IngestMetrics.inMemory();
        List<FlowRecord> flows = new CopyOnWriteArrayList<>();
        TestTopics.create(kafka, topics.lostEvents());
        // A reader that stalls for a while falls further behind than a tiny ring holds: Hubble reports the loss.
        try (LogCapture logs = LogCapture.of(HubbleFlowSource.class);
             SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(8)::next)
                     .ringCapacity(63).flowsPerSecond(3_000).maxFlows(6_000).startPaused().start();
             FlowPublisher publisher = new FlowPublisher(Map.of("bootstrap.servers", kafka), topics, metrics);
             HubbleFlowSource source = new HubbleFlowSource(HubbleSourceSettings.of("127.0.0.1:" + hubble.port())
                     .withFilters(List.of(), List.of(), true), "lost-node", f -> {
                         if (flows.isEmpty()) {
                             pause(1_500);
                         }
                         flows.add(f);
                     }, publisher::publish, metrics);
             TopicReader topic = new TopicReader(kafka, topics.lostEvents())) {
            source.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> hubble.followers() == 1);
            hubble.resume();
            await().atMost(Duration.ofSeconds(30)).until(() -> hubble.emitted() == 6_000);
            await().atMost(Duration.ofSeconds(20)).until(() -> metrics.lostEventReports().count() >= 1
                    && topic.poll().size() == (int) metrics.lostEventReports().count());
            long reports = (long) metrics.lostEventReports().count();
            List<LostEventsRecord> published = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : topic.poll()) {
                published.add(LostEventsRecord.parseFrom(r.value()));
            }
            assertThat(published).hasSize((int) reports);
            assertThat(published.stream().mapToLong(LostEventsRecord::getNumEventsLost).sum())
                    .isEqualTo((long) metrics.lostEvents().count()).isPositive();
            assertThat(published.get(0).getNodeName()).isEqualTo("lost-node");
            assertThat(logs.warnings("lost events")).isNotEmpty().hasSizeLessThanOrEqualTo((int) reports);
            // Every flow is either delivered or counted as lost.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(flows.size() + (long) metrics.lostEvents().count()).isEqualTo(6_000));
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> uuids(List<ConsumerRecord<String, byte[]>> records) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                out.add(FlowRecord.parseFrom(r.value()).getUuid());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError("not a FlowRecord at offset " + r.offset(), e);
            }
        }
        return out;
    }
}
