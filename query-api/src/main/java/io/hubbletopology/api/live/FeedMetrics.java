package io.hubbletopology.api.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The live feed's figures as Prometheus metrics; the counts tests read are the counters' own, so a test sees what a
 * scrape would.
 */
public final class FeedMetrics {

    private final Counter sent;
    private final Counter coalesced;
    private final Counter evicted;
    private final Counter refused;
    private final Counter published;
    private final Counter skipped;

    /** @param feed the feed's name, a tag on every metric: topology or flows */
    public FeedMetrics(MeterRegistry registry, String feed) {
        sent = counter(registry, feed, "hubble_topology_ws_messages_sent",
                "Messages sent to live clients (each change in a batch of changes counts as one)");
        coalesced = counter(registry, feed, "hubble_topology_ws_messages_coalesced",
                "States a live client did not get because a newer state of the same edge or interface went out instead");
        evicted = counter(registry, feed, "hubble_topology_ws_clients_evicted", "Live clients closed for falling behind");
        refused = counter(registry, feed, "hubble_topology_ws_clients_refused",
                "Live clients refused (limit reached, bad parameters, not authorised)");
        published = counter(registry, feed, "hubble_topology_ws_updates_published",
                "Updates published to the live feed (each serialised once)");
        skipped = counter(registry, feed, "hubble_topology_ws_messages_skipped",
                "Flows a slow live client did not get (it was told how many)");
    }

    private static Counter counter(MeterRegistry registry, String feed, String name, String description) {
        return Counter.builder(name).tag("feed", feed).description(description).register(registry);
    }

    void skipped(long count) {
        skipped.increment(count);
    }

    void sent(int messages) {
        sent.increment(messages);
    }

    void coalesced(long count) {
        coalesced.increment(count);
    }

    void evicted() {
        evicted.increment();
    }

    void refused() {
        refused.increment();
    }

    void published() {
        published.increment();
    }

    public long sentCount() {
        return (long) sent.count();
    }

    public long skippedCount() {
        return (long) skipped.count();
    }

    public long coalescedCount() {
        return (long) coalesced.count();
    }

    public long evictedCount() {
        return (long) evicted.count();
    }
}
