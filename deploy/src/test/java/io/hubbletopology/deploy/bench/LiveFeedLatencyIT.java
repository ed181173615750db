package io.hubbletopology.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import io.hubbletopology.topics.TopicNames;

/**
 * With the roles started as the README starts them (every setting at its default: a commit interval of 1 s), a
 * flow written to {@code ingest --replay -} reaches a {@code /ws/topology} client well within the commit interval,
 * ahead of the edge updates topic, which still receives at most one record per edge and window per commit; and
 * once committed, the live states, the edge updates topic and a new client's snapshot agree.
 */
// Alone, not beside another test class (deploy/pom.xml): measures latency: alone, so that the figure is its own.
@Isolated
class LiveFeedLatencyIT {

    private static final int PROBES = 24;
    private static final Duration GAP = Duration.ofMillis(250);

    @Test
    @Timeout(480)
    void aReplayedFlowReachesTheLiveMapWellWithinTheCommitInterval(@TempDir Path dir) throws Exception {
        TopicNames topics = TopicNames.defaults();
        ProbeArrivals arrivals = new ProbeArrivals();
        try (ReplayPipeline pipeline = new ReplayPipeline(dir);
             ProbeWatchers watchers = new ProbeWatchers(arrivals, topics.flows(), topics.live(), topics.edgeUpdates())) {
            watchers.followTopics(pipeline.kafka);
            watchers.connect(pipeline.wsUrl());
            ReplayFeeder feeder = pipeline.feeder();
            // Warm-up on an edge of its own: once one of its flows is on the feed, every part is up.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                write(feeder, arrivals, 9, Instant.now(), "warm-up-" + System.nanoTime());
                return watchers.liveFlows().keySet().stream().anyMatch(k -> k.startsWith(ReplayFeeder.probeTarget(9) + "@"));
            });

            long from = System.nanoTime();
            for (int i = 0; i < PROBES; i++) {
                write(feeder, arrivals, 0, Instant.now(), "probe-" + i);
                Thread.sleep(GAP.toMillis());
            }
            long to = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    arrivals.latencies(from, to).get(ProbeArrivals.Stage.EDGES_TOPIC).size() == PROBES);
            Map<ProbeArrivals.Stage, List<Double>> latencies = arrivals.latencies(from, to);
            List<Double> websocket = latencies.get(ProbeArrivals.Stage.WEBSOCKET);
            List<Double> edgesTopic = latencies.get(ProbeArrivals.Stage.EDGES_TOPIC);
            System.out.printf("flow -> /ws/topology ms: %s%nflow -> %s ms: %s%n", websocket, topics.edgeUpdates(), edgesTopic);

            assertThat(websocket).as("every probe reached the live map").hasSize(PROBES);
            assertThat(ProbeArrivals.percentile(websocket, 50)).as("median flow -> /ws/topology, ms (commit interval: 1,000)")
                    .isLessThan(400);
            long ahead = 0;
            for (int i = 0; i < PROBES; i++) {
                ahead += websocket.get(i) < edgesTopic.get(i) ? 1 : 0;
            }
            assertThat(ahead).as("probes on the live map before the edge updates topic had them").isGreaterThanOrEqualTo(PROBES * 3 / 4);

            String probe = ReplayFeeder.probeTarget(0);
            Map<String, Integer> records = watchers.edgeRecords();
            long seconds = Math.max(1, Math.round((to - from) / 1e9));
            records.forEach((window, n) -> {
                if (window.startsWith(probe + "@")) {
                    // At most one record per commit (1 s) while the probes came, and the one of the last commit.
                    assertThat(n).as("records of " + window + " on " + topics.edgeUpdates()).isLessThanOrEqualTo((int) seconds + 2);
                }
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(only(watchers.liveFlows(), probe))
                    .isEqualTo(only(watchers.edgeFlows(), probe)));
            long total = only(watchers.edgeFlows(), probe).values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).isEqualTo(PROBES);

            watchers.connectForSnapshot(pipeline.wsUrl());
            await().atMost(Duration.ofSeconds(10)).until(() -> watchers.snapshotFlows(probe) != null);
            assertThat(watchers.snapshotFlows(probe)).as("a new client's snapshot").isEqualTo(total);
        }
    }

    private static void write(ReplayFeeder feeder, ProbeArrivals arrivals, int target, Instant time, String uuid) {
        feeder.probe(target, time, uuid);
        feeder.flush();
        long ms = time.toEpochMilli();
        arrivals.written(ReplayFeeder.probeTarget(target), ms - Math.floorMod(ms, 60_000L), System.nanoTime());
    }

    private static Map<String, Long> only(Map<String, Long> byWindow, String target) {
        return byWindow.entrySet().stream().filter(e -> e.getKey().startsWith(target + "@"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
