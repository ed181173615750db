package io.hubbletopology.api.observer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Observer API's figures on the API's {@code /metrics}: how many GetFlows calls read now and how many of them
 * wait for their client, the flows sent, and how each call ended, so an operator can tell a busy service from a
 * slow client.
 */
final class ObserverMetrics {

    /** How a GetFlows call ended, the {@code outcome} tag. */
    enum Outcome { COMPLETED, CLIENT_GONE, INVALID, BUSY, BOUNDED, STALLED, UNAVAILABLE, FAILED }

    private final AtomicInteger reading = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter sent;
    private final Map<Outcome, Counter> ended = new EnumMap<>(Outcome.class);

    ObserverMetrics(MeterRegistry registry) {
        Gauge.builder("hubble_topology_observer_getflows_calls", reading, AtomicInteger::get)
                .description("GetFlows calls holding a reader of the flows topic").register(registry);
        Gauge.builder("hubble_topology_observer_getflows_waiting_for_client", waiting, AtomicInteger::get)
                .description("GetFlows calls whose client takes no more responses for now (gRPC flow control)").register(registry);
        sent = Counter.builder("hubble_topology_observer_flows_sent").description("Flows sent by GetFlows").register(registry);
        for (Outcome o : Outcome.values()) {
            ended.put(o, Counter.builder("hubble_topology_observer_getflows_ended").tag("outcome", o.name().toLowerCase(Locale.ROOT))
                    .description("GetFlows calls ended, by how").register(registry));
        }
    }

    void reading(int delta) {
        reading.addAndGet(delta);
    }

    void waiting(int delta) {
        waiting.addAndGet(delta);
    }

    void sent() {
        sent.increment();
    }

    void ended(Outcome outcome) {
        ended.get(outcome).increment();
    }
}
