package io.hubbletopology.api.live;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The live feed's figures, as Prometheus metrics and as plain numbers for tests. */
public final class FeedMetrics {

    private final Counter sent;
    private final Counter coalesced;
    private final Counter evicted;
    private final Counter refused;
    private final Counter published;
    private final AtomicLong sentCount = new AtomicLong();
    private final AtomicLong evictedCount = new AtomicLong();

    public FeedMetrics(MeterRegistry registry) {
        this.sent = Counter.builder("hubble_topology_ws_messages_sent").description("Messages sent to live clients").register(registry);
        this.coalesced = Counter.builder("hubble_topology_ws_messages_coalesced")
                .description("Queued updates replaced by a newer one of the same edge or interface").register(registry);
        this.evicted = Counter.builder("hubble_topology_ws_clients_evicted")
                .description("Live clients closed for falling behind").register(registry);
        this.refused = Counter.builder("hubble_topology_ws_clients_refused")
                .description("Live clients refused (limit reached, bad parameters, not authorised)").register(registry);
        this.published = Counter.builder("hubble_topology_ws_updates_published")
                .description("Updates published to the live feed (each serialised once)").register(registry);
    }

    void sent() {
        sent.increment();
        sentCount.incrementAndGet();
    }

    void coalesced() {
        coalesced.increment();
    }

    void evicted() {
        evicted.increment();
        evictedCount.incrementAndGet();
    }

    void refused() {
        refused.increment();
    }

    void published() {
        published.increment();
    }

    public long sentCount() {
        return sentCount.get();
    }

    public long evictedCount() {
        return evictedCount.get();
    }
}
