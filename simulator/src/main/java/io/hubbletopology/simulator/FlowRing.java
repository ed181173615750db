package io.hubbletopology.simulator;

import io.hubbletopology.hubble.flow.Flow;

/**
 * A fixed-size ring of the most recent flows, addressed by an ever-growing sequence number, like the ring
 * buffer each Hubble server keeps. Readers block for new flows with {@link #awaitBeyond}.
 */
final class FlowRing {

    private final Flow[] slots;
    private long next;

    FlowRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ring capacity must be at least 1");
        }
        this.slots = new Flow[capacity];
    }

    synchronized void add(Flow flow) {
        slots[(int) (next % slots.length)] = flow;
        next++;
        notifyAll();
    }

    /** The sequence number the next flow will get. */
    synchronized long next() {
        return next;
    }

    /** The sequence number of the oldest flow still held. */
    synchronized long oldest() {
        return Math.max(0, next - slots.length);
    }

    /** The flow at a sequence number, or null when it has been overwritten or not written yet. */
    synchronized Flow get(long seq) {
        if (seq < oldest() || seq >= next) {
            return null;
        }
        return slots[(int) (seq % slots.length)];
    }

    /** The first sequence number whose flow is at or after the given time. */
    synchronized long firstAtOrAfter(long timeUnixNanos) {
        for (long seq = oldest(); seq < next; seq++) {
            Flow f = slots[(int) (seq % slots.length)];
            if (f.getTime().getSeconds() * 1_000_000_000L + f.getTime().getNanos() >= timeUnixNanos) {
                return seq;
            }
        }
        return next;
    }

    synchronized int size() {
        return (int) Math.min(next, slots.length);
    }

    int capacity() {
        return slots.length;
    }

    /** Waits until a flow with sequence number {@code seq} exists, or the timeout passes. */
    synchronized void awaitBeyond(long seq, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (next <= seq) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
