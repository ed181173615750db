package io.hubbletopology.simulator;

/** A pod of the simulated cluster: what Hubble says of it as a flow's endpoint, and the node it runs on. */
record SimulatedPod(String namespace, String name, String workloadKind, String workloadName, String app, String ip,
                    int identity, String node) {

    /** The workload's {@code namespace/name}, as conversations name it. */
    String workload() {
        return namespace + "/" + workloadName;
    }
}
