package io.hubbletopology.simulator;

import io.hubbletopology.hubble.flow.DropReason;

/**
 * Who talks to whom, on which port, how often (weight, relative to the others) and how it goes: its L7 (HTTP or
 * DNS), the share of its flows policy or the datapath drops, and why.
 *
 * @param l7Name the HTTP path, or the DNS name looked up; a failed lookup asks {@code missing.} + the rest of it
 */
record Conversation(Party from, Party to, String protocol, int port, L7 l7, String l7Name, double dropRate,
                    DropReason dropReason, int weight) {

    enum L7 { NONE, HTTP, DNS }

    static final String DEMO_PATH = "/api/v1/items";

    /** Forwarded plain L4 traffic. */
    static Conversation tcp(Party from, Party to, int port, int weight) {
        return new Conversation(from, to, "TCP", port, L7.NONE, "", 0.0, DropReason.DROP_REASON_UNKNOWN, weight);
    }

    /** Forwarded HTTP requests to a path. */
    static Conversation http(Party from, Party to, int port, String path, int weight) {
        return new Conversation(from, to, "TCP", port, L7.HTTP, path, 0.0, DropReason.DROP_REASON_UNKNOWN, weight);
    }

    /** DNS lookups of a name over UDP 53. */
    static Conversation dns(Party from, Party to, String name, int weight) {
        return new Conversation(from, to, "UDP", 53, L7.DNS, name, 0.0, DropReason.DROP_REASON_UNKNOWN, weight);
    }

    /** The same conversation with a share of its flows dropped for a reason. */
    Conversation dropping(double rate, DropReason reason) {
        return new Conversation(from, to, protocol, port, l7, l7Name, rate, reason, weight);
    }
}
