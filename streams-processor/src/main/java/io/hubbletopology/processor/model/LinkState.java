package io.hubbletopology.processor.model;

import io.hubbletopology.records.LinkStateRecord;

/**
 * The latest known state of one interface on one node.
 *
 * @param node       the Kubernetes node
 * @param name       the interface name
 * @param state      operstate: up, down, lowerlayerdown, unknown, ...
 * @param carrier    1 or 0; null when the kernel would not say
 * @param speed      Mbit/s; null when the kernel would not say
 * @param mtu        null when unknown
 * @param mac        the hardware address, "" when none
 * @param observedMs when the agent read it, epoch millis
 */
public record LinkState(String node, String name, String state, Integer carrier, Long speed, Integer mtu, String mac,
                        long observedMs) {

    public static LinkState of(LinkStateRecord r) {
        return new LinkState(r.getNodeName(), r.getInterface(), r.getOperstate(),
                r.hasCarrier() ? r.getCarrier() : null,
                r.hasSpeedMbps() ? r.getSpeedMbps() : null,
                r.hasMtu() ? r.getMtu() : null,
                r.getMac(), r.getObservedUnixNanos() / 1_000_000L);
    }
}
