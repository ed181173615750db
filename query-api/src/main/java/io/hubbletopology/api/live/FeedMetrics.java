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
    private final Counter skipped;
    private final AtomicLong sentCount = new AtomicLong();
    private final AtomicLong evictedCount = new AtomicLong();
    private final AtomicLong skippedCount = new AtomicLong();
    private final AtomicLong coalescedCount = new AtomicLong();

    /** @param feed the feed's name, a tag on every metric: topology or flows */
    public FeedMetrics(MeterRegistry registry, String feed) {
        this.sent = Counter.builder("hubble_topology_ws_messages_sent").tag("feed", feed)
                .description("Messages sent to live clients").register(registry);
        this.coalesced = Counter.builder("hubble_topology_ws_messages_coalesced").tag("feed", feed)
                .description("States a live client did not get because a newer state of the same edge or interface went out instead").register(registry);
        this.evicted = Counter.builder("hubble_topology_ws_clients_evicted").tag("feed", feed)
                .description("Live clients closed for falling behind").register(registry);
        this.refused = Counter.builder("hubble_topology_ws_clients_refused").tag("feed", feed)
                .description("Live clients refused (limit reached, bad parameters, not authorised)").register(registry);
        this.published = Counter.builder("hubble_topology_ws_updates_published").tag("feed", feed)
                .description("Updates published to the live feed (each serialised once)").register(registry);
        this.skipped = Counter.builder("hubble_topology_ws_messages_skipped").tag("feed", feed)
                .description("Flows a slow live client did not get (it was told how many)").register(registry);
    }

    void skipped(long count) {
        skipped.increment(count);
        skippedCount.addAndGet(count);
    }

    public long skippedCount() {
        return skippedCount.get();
    }

    void sent() {
        sent.increment();
        sentCount.incrementAndGet();
    }

    void coalesced(long count) {
        coalesced.increment(count);
        coalescedCount.addAndGet(count);
    }

    public long coalescedCount() {
        return coalescedCount.get();
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
