package io.hubbletopology.simulator;

/** A reserved or external peer: no pod, a security identity and maybe a DNS name Hubble resolved. */
record OutsidePeer(int identity, String ip, String dnsName, String reservedLabel) implements Party {

    static final OutsidePeer WORLD = new OutsidePeer(2, "203.0.113.7", "", "reserved:world");
    static final OutsidePeer HOST = new OutsidePeer(1, "192.168.10.1", "", "reserved:host");
    static final OutsidePeer REMOTE_NODE = new OutsidePeer(6, "192.168.10.2", "", "reserved:remote-node");

    /** A service outside the cluster known by its DNS name (Hubble names world by it). */
    static OutsidePeer external(String ip, String dnsName) {
        return new OutsidePeer(2, ip, dnsName, "reserved:world");
    }
}
