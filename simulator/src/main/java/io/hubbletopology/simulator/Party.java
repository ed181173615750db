package io.hubbletopology.simulator;

/** One end of a conversation: a workload's pods, any pod of the cluster, or a peer outside the pods. */
sealed interface Party permits Party.OfWorkload, Party.AnyPod, OutsidePeer {

    /** The pods of one workload, {@code namespace/name}; each flow picks one of them. */
    record OfWorkload(String workload) implements Party {
    }

    /** Any pod of the cluster (everyone asks CoreDNS). */
    record AnyPod() implements Party {
    }

    static Party workload(String namespace, String name) {
        return new OfWorkload(namespace + "/" + name);
    }
}
