package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.output.Workload;

class TrackedWorkloadTest {

    private static final long HOUR = 3_600_000;

    private static WorkloadSighting sighting(String pod, long timeMs, Map<String, String> labels) {
        return new WorkloadSighting("shop/deployment/cart", "", "shop", "deployment", "cart", labels, pod, timeMs);
    }

    @Test
    void forgetsPodsNotSeenWithinTheRetentionAndKeepsTheLatestLabels() {
        TrackedWorkload w = TrackedWorkload.empty()
                .add(sighting("cart-old", 0, Map.of("app", "cart", "version", "1")), 24 * HOUR)
                .add(sighting("cart-new", 25 * HOUR, Map.of("app", "cart", "version", "2")), 24 * HOUR)
                // A late sighting of an old pod does not bring old labels back.
                .add(sighting("cart-new", 24 * HOUR, Map.of("app", "cart", "version", "1")), 24 * HOUR);
        assertThat(w.workload().pods()).containsExactly("cart-new");
        assertThat(w.workload().labels()).containsEntry("version", "2");
        assertThat(w.workload().lastSeen()).isEqualTo(Instant.ofEpochMilli(25 * HOUR));
    }

    @Test
    void keepsAtMostTheMostRecentlySeenPods() {
        TrackedWorkload w = TrackedWorkload.empty();
        for (int i = 0; i < Workload.MAX_PODS + 50; i++) {
            w = w.add(sighting(String.format("cart-%04d", i), i * 1_000L, Map.of()), 24 * HOUR);
        }
        assertThat(w.workload().pods()).hasSize(Workload.MAX_PODS).startsWith("cart-0050").endsWith("cart-0249");
    }
}
