package io.hubbletopology.ingest.hubble;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hubbletopology.records.FlowRecord;

/**
 * Remembers the identities of the most recent flows handed on, so that flows Hubble sends again after a
 * reconnect (we ask again from a little before the last time we saw) are dropped instead of counted twice.
 * The identity is the flow's uuid, else its time, node and 5-tuple.
 */
final class SeenFlows {

    private final Map<String, Boolean> recent;
    private long latestNanos;

    SeenFlows(int capacity) {
        this.recent = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * True the first time a flow is offered, false for one already seen. The capacity must exceed what a
     * resume can send again: Hubble's ring buffer holds at most 65535 flows.
     */
    boolean firstTime(FlowRecord flow) {
        if (recent.putIfAbsent(identity(flow), Boolean.TRUE) != null) {
            return false;
        }
        latestNanos = Math.max(latestNanos, flow.getTimeUnixNanos());
        return true;
    }

    /** The newest flow time seen, 0 before the first flow. */
    long latestNanos() {
        return latestNanos;
    }

    static String identity(FlowRecord f) {
        if (!f.getUuid().isEmpty()) {
            return f.getUuid();
        }
        return f.getTimeUnixNanos() + "|" + f.getNodeName() + "|" + f.getSource().getIp() + ":" + f.getSourcePort()
                + "|" + f.getDestination().getIp() + ":" + f.getDestinationPort() + "|" + f.getProtocolValue();
    }
}
