package io.hubbletopology.ingest.health;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The agent's counters, in one place so that every source and the publisher count the same way and
 * {@code /metrics} shows them all. Names follow Prometheus conventions once exported
 * ({@code hubble_topology_ingest_flows_read_total}, ...).
 *
 * <pre>{@code
 * IngestMetrics metrics = new IngestMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
 * metrics.flowsRead().increment();
 * }</pre>
 */
public final class IngestMetrics {

    private static final String PREFIX = "hubble_topology_ingest_";

    private final MeterRegistry registry;
    private final Counter flowsRead;
    private final Counter flowsPublished;
    private final Counter duplicatesFiltered;
    private final Counter flowsFiltered;
    private final Counter dropped;
    private final Counter lostEvents;
    private final Counter lostEventReports;
    private final Counter nodeStatusEvents;
    private final Counter reconnects;
    private final Counter linkChanges;
    private final Counter linksPublished;
    private final Counter producerErrors;
    private final Counter replayMalformedLines;
    private final Timer sendLatency;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        flowsRead = counter("flows_read", "Flows read from a source (Hubble, replay), before de-duplication");
        flowsPublished = counter("flows_published", "Flows Kafka acknowledged");
        duplicatesFiltered = Counter.builder(PREFIX + "flows_filtered").tag("reason", "duplicate")
                .description("Flows not published: already sent (a resume's overlap) or left out by the filters")
                .register(registry);
        flowsFiltered = Counter.builder(PREFIX + "flows_filtered").tag("reason", "filter")
                .description("Flows not published: already sent (a resume's overlap) or left out by the filters")
                .register(registry);
        dropped = counter("records_dropped", "Records read but never delivered to Kafka (refused, or unsent at shutdown)");
        lostEvents = counter("lost_events", "Events Hubble reported lost in its own buffers");
        lostEventReports = counter("lost_event_reports", "lost_events responses received");
        nodeStatusEvents = counter("node_status_events", "node_status responses received from Relay");
        reconnects = counter("hubble_reconnects", "Reconnects to Hubble after a stream error or end");
        linkChanges = counter("link_changes", "Interface state changes seen in sysfs (added, changed, removed)");
        linksPublished = counter("links_published", "Link state records Kafka acknowledged");
        producerErrors = counter("producer_errors", "Sends Kafka failed for good");
        replayMalformedLines = counter("replay_malformed_lines", "Replay lines that could not be parsed");
        sendLatency = Timer.builder(PREFIX + "send_latency")
                .description("From handing a record to the producer to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** Metrics kept in memory only: for tests and tools that do not export them. */
    public static IngestMetrics inMemory() {
        return new IngestMetrics(new SimpleMeterRegistry());
    }

    private Counter counter(String name, String description) {
        return Counter.builder(PREFIX + name).description(description).register(registry);
    }

    /** 1 while the Hubble stream is open and following, 0 while the agent is connecting or backing off. */
    public void bindHubbleConnected(BooleanSupplier connected) {
        Gauge.builder(PREFIX + "hubble_connected", connected, c -> c.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while the agent follows Hubble's flow stream, 0 while it connects or backs off").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Counter flowsRead() {
        return flowsRead;
    }

    public Counter flowsPublished() {
        return flowsPublished;
    }

    public Counter duplicatesFiltered() {
        return duplicatesFiltered;
    }

    public Counter flowsFiltered() {
        return flowsFiltered;
    }

    public Counter dropped() {
        return dropped;
    }

    public Counter lostEvents() {
        return lostEvents;
    }

    public Counter lostEventReports() {
        return lostEventReports;
    }

    public Counter nodeStatusEvents() {
        return nodeStatusEvents;
    }

    public Counter reconnects() {
        return reconnects;
    }

    public Counter linkChanges() {
        return linkChanges;
    }

    public Counter linksPublished() {
        return linksPublished;
    }

    public Counter producerErrors() {
        return producerErrors;
    }

    public Counter replayMalformedLines() {
        return replayMalformedLines;
    }

    public void recordSendLatency(long nanos) {
        sendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public Timer sendLatency() {
        return sendLatency;
    }
}
