package io.hubbletopology.processor.internal;

import java.util.Map;

/**
 * One pod of a workload seen in a flow at a time: what the flows branch tells the workload inventory, through
 * a repartition topic keyed by the workload's id.
 */
record WorkloadSighting(String id, String cluster, String namespace, String kind, String name,
                        Map<String, String> labels, String pod, long timeMs) {
}
