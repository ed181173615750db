package io.hubbletopology.processor.internal;

import java.time.Instant;
import java.util.Objects;

import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.records.LinkCounters;
import io.hubbletopology.records.LinkStateRecord;

/**
 * Keeps the latest state of every (node, interface) and passes each new state on with rates derived from
 * the counters of the two latest readings. A counter that went backwards (the interface was recreated, the
 * driver reset it) gives no rate for that interval rather than a negative or absurd one. A reading older than
 * the one kept (a replay) is ignored; a removed interface is forgotten after its last state is passed on.
 */
final class LinkTracker extends ContextualProcessor<String, LinkStateRecord, String, LinkState> {

    private final String storeName;
    private KeyValueStore<String, TrackedLink> store;

    LinkTracker(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, LinkState> context) {
        super.init(context);
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, LinkStateRecord> record) {
        LinkStateRecord r = record.value();
        if (record.key() == null || r == null || r.getNodeName().isEmpty() || r.getInterface().isEmpty()) {
            throw new UnusableRecordException("link state without key, node or interface");
        }
        TrackedLink previous = store.get(record.key());
        Instant observed = EdgeFigures.instant(r.getObservedUnixNanos());
        if (previous != null && observed.isBefore(previous.link().observed())) {
            return;
        }
        if (r.getRemoved()) {
            LinkState last = previous == null ? null : previous.link();
            LinkState removed = new LinkState(LinkState.SCHEMA, r.getNodeName(), r.getInterface(),
                    last == null ? "unknown" : last.state(), null, null, null, last == null ? "" : last.mac(),
                    null, null, null, null, observed, observed, true);
            store.delete(record.key());
            context().forward(record.withValue(removed));
            return;
        }
        TrackedLink.Counters counters = r.hasCounters() ? counters(r.getCounters()) : null;
        LinkState link = state(r, observed, previous, counters);
        store.put(record.key(), new TrackedLink(link, counters));
        context().forward(record.withValue(link));
    }

    private static LinkState state(LinkStateRecord r, Instant observed, TrackedLink previous, TrackedLink.Counters now) {
        Integer carrier = r.hasCarrier() ? r.getCarrier() : null;
        Long speed = r.hasSpeedMbps() ? r.getSpeedMbps() : null;
        Integer mtu = r.hasMtu() ? r.getMtu() : null;
        LinkState before = previous == null ? null : previous.link();
        boolean changed = before == null || !before.state().equals(r.getOperstate()) || !Objects.equals(before.carrier(), carrier)
                || !Objects.equals(before.speed(), speed) || !Objects.equals(before.mtu(), mtu) || !before.mac().equals(r.getMac());
        Instant lastChange = changed ? observed : before.lastChange();
        Double rx = null;
        Double tx = null;
        Double errors = null;
        Double drops = null;
        TrackedLink.Counters then = previous == null ? null : previous.counters();
        double seconds = before == null ? 0 : (observed.toEpochMilli() - before.observed().toEpochMilli()) / 1000.0;
        if (then != null && now != null && seconds > 0) {
            rx = rate(then.rxBytes(), now.rxBytes(), seconds);
            tx = rate(then.txBytes(), now.txBytes(), seconds);
            errors = rate(then.errors(), now.errors(), seconds);
            drops = rate(then.drops(), now.drops(), seconds);
        } else if (before != null && seconds == 0) {
            // The same reading again: keep the rates we had.
            rx = before.rxBytesPerS();
            tx = before.txBytesPerS();
            errors = before.errorsPerS();
            drops = before.dropsPerS();
        }
        return new LinkState(LinkState.SCHEMA, r.getNodeName(), r.getInterface(), r.getOperstate(), carrier, speed, mtu,
                r.getMac(), rx, tx, errors, drops, lastChange, observed, false);
    }

    /** Per second; null when the counter went backwards (a reset: the interval's true amount is unknown). */
    static Double rate(long before, long now, double seconds) {
        if (Long.compareUnsigned(now, before) < 0) {
            return null;
        }
        long delta = now - before;
        double amount = delta >= 0 ? delta : delta + 0x1p64;
        return amount / seconds;
    }

    private static TrackedLink.Counters counters(LinkCounters c) {
        return new TrackedLink.Counters(c.getRxBytes(), c.getTxBytes(), c.getRxErrors() + c.getTxErrors(),
                c.getRxDropped() + c.getTxDropped());
    }
}
