package io.hubbletopology.deploy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * The first {@code count} flows of the simulated cluster {@code seed}, as a test's Hubble sends them, and what the
 * topology must then show ({@link ExpectedTopology}).
 */
public record SimulatedFlows(long seed, int count) {

    /** A Hubble server on a real socket that holds these flows back until it is resumed, then sends them at the rate. */
    public SimulatedHubbleServer pausedHubble(double flowsPerSecond) throws IOException {
        return SimulatedHubbleServer.builder().source(new SyntheticCluster(seed)::next)
                .flowsPerSecond(flowsPerSecond).maxFlows(count).startPaused().start();
    }

    /** Flow counts per edge of the non-reply flows among them. */
    public Map<String, Long> expectedEdgeCounts() {
        return ExpectedTopology.nonReplyEdgeCounts(seed, count);
    }

    /** How many flows the topology counts once it holds them all. */
    public long expectedTotal() {
        return expectedEdgeCounts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until the topology answer at {@code url} counts at least {@link #expectedTotal} flows; that answer. */
    public JsonNode awaitCounted(String url, Duration within, Duration pollInterval) {
        long expectedTotal = expectedTotal();
        AtomicReference<JsonNode> topology = new AtomicReference<>();
        await().atMost(within).pollInterval(pollInterval).until(() -> {
            Http.Response r = Http.get(url);
            topology.set(r.body());
            return r.status() == 200 && Http.totalFlows(r.body()) >= expectedTotal;
        });
        return topology.get();
    }
}
