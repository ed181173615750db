package io.hubbletopology.sink.health;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sink's own figures, exported as {@code hubble_topology_sink_*} on its {@code /metrics}: samples the TSDB
 * took, refused for good (by kind) and retried; records it could not read; how far behind the topics it is and
 * what it holds.
 */
public final class SinkMetrics {

    private static final String PREFIX = "hubble_topology_sink_";

    private final MeterRegistry registry;
    private final Counter samplesSent;
    private final Counter samplesRetried;
    private final Counter recordsUnreadable;
    private final AtomicLong lag = new AtomicLong();

    public SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        samplesSent = counter("samples_sent", "Samples the TSDB acknowledged");
        samplesRetried = counter("samples_retried", "Samples sent again after a 5xx, a 429 or no answer");
        recordsUnreadable = counter("records_unreadable", "Topic records that are not an edge update or link state");
        Gauge.builder(PREFIX + "lag_records", lag, AtomicLong::get)
                .description("Records on the assigned partitions not read yet").register(registry);
    }

    /** Samples refused for good (4xx other than 429), by kind: out_of_order_sample, out_of_bounds, http_400, ... */
    public void rejected(String kind, int samples) {
        Counter.builder(PREFIX + "samples_failed").tag("kind", kind)
                .description("Samples the TSDB refused for good (4xx other than 429), not retried")
                .register(registry).increment(samples);
    }

    public void bind(Supplier<Number> pendingWindows, Supplier<Number> heldRecords, Supplier<Number> forcedWindows) {
        Gauge.builder(PREFIX + "pending_windows", () -> pendingWindows.get()).description("Edge windows held until final").register(registry);
        Gauge.builder(PREFIX + "held_records", () -> heldRecords.get()).description("Records read whose samples the TSDB does not have yet").register(registry);
        FunctionCounter.builder(PREFIX + "windows_forced", forcedWindows, s -> s.get().doubleValue())
                .description("Edge windows written before final because sink.max_pending_windows was reached").register(registry);
    }

    public Counter samplesSent() {
        return samplesSent;
    }

    public Counter samplesRetried() {
        return samplesRetried;
    }

    public Counter recordsUnreadable() {
        return recordsUnreadable;
    }

    public void lag(long records) {
        lag.set(records);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(PREFIX + name).description(description).register(registry);
    }
}
