package io.hubbletopology.sink.series;

import java.util.Map;

/**
 * The labels of one end of an edge, from its node id ({@link io.hubbletopology.graph.GraphNode#id()}), named as
 * Hubble's own metrics name them ({@code source_namespace}, {@code source_workload}, {@code source_workload_kind},
 * and {@code destination_...}). The kind and the cluster are labels too, so that two node ids never share one set
 * of labels: a Deployment and a StatefulSet of the same name, or the same workload in two clusters, would
 * otherwise be one series with two values at the same time, which the TSDB refuses.
 *
 * <p>Node ids other than workloads ({@code reserved:world}, {@code dns:api.stripe.com}, {@code ip:public}) keep
 * their whole local id as the workload, the way Hubble names a reserved identity where it has no workload.
 */
final class NodeLabels {

    private static final String[] NON_WORKLOAD_PREFIXES = {"reserved:", "dns:", "ip:"};

    private NodeLabels() {
    }

    /** @param side {@code source} or {@code destination} */
    static void put(Map<String, String> labels, String side, String nodeId, String namespace) {
        String cluster = "";
        String local = nodeId;
        int colon = nodeId.indexOf(':');
        int slash = nodeId.indexOf('/');
        if (colon > 0 && !isNonWorkload(nodeId) && (slash < 0 || colon < slash)) {
            cluster = nodeId.substring(0, colon);
            local = nodeId.substring(colon + 1);
        }
        labels.put(side + "_cluster", cluster);
        labels.put(side + "_namespace", namespace == null ? "" : namespace);
        String[] parts = local.split("/", 3);
        if (!isNonWorkload(local) && parts.length == 3) {
            labels.put(side + "_workload_kind", parts[1]);
            labels.put(side + "_workload", parts[2]);
        } else {
            labels.put(side + "_workload", local);
        }
    }

    private static boolean isNonWorkload(String id) {
        for (String prefix : NON_WORKLOAD_PREFIXES) {
            if (id.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
