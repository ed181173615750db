package io.hubbletopology.ingest.hubble;

import com.google.protobuf.Timestamp;

import io.hubbletopology.hubble.flow.LostEvent;
import io.hubbletopology.records.LostEventsRecord;

/** Turns Hubble's {@link LostEvent} into the record of the lost-events topic. */
public final class LostEvents {

    private LostEvents() {
    }

    /**
     * @param event  what Hubble reported
     * @param node   the node whose Hubble reported it
     * @param origin where it was read (Hubble's address, or the replayed file)
     */
    public static LostEventsRecord record(LostEvent event, String node, String origin) {
        LostEventsRecord.Builder record = LostEventsRecord.newBuilder()
                .setNodeName(node)
                .setSource(event.getSource())
                .setNumEventsLost(event.getNumEventsLost())
                .setFirstUnixNanos(nanos(event.getFirst()))
                .setLastUnixNanos(nanos(event.getLast()))
                .setObservedUnixNanos(System.currentTimeMillis() * 1_000_000L)
                .setOrigin(origin);
        if (event.hasCpu()) {
            record.setCpu(event.getCpu().getValue());
        }
        return record.build();
    }

    private static long nanos(Timestamp t) {
        return t.getSeconds() * 1_000_000_000L + t.getNanos();
    }
}
