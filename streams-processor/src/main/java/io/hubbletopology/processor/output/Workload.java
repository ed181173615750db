package io.hubbletopology.processor.output;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One workload of the inventory: the value of the workload changes topic (key {@link #id()}).
 *
 * @param schema    {@value #SCHEMA}
 * @param id        the graph node id, as in edges' {@code src}/{@code dst} ({@code shop/deployment/cart})
 * @param cluster   the Cilium cluster name, "" when Hubble did not say
 * @param namespace the Kubernetes namespace
 * @param kind      deployment, statefulset, daemonset, cronjob, job, app (named by label) or pod
 * @param name      the workload's name
 * @param labels    the Kubernetes labels its pods carry (Cilium's {@code k8s:} labels, without Cilium's own
 *                  {@code io.kubernetes.pod.namespace}/{@code io.cilium.*} bookkeeping labels)
 * @param pods      the pods seen within the retention, at most {@value #MAX_PODS} most recently seen, sorted
 * @param lastSeen  the latest flow time of any of its pods
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"schema", "id", "cluster", "namespace", "kind", "name", "labels", "pods", "last_seen"})
public record Workload(String schema, String id, String cluster, String namespace, String kind, String name,
                       Map<String, String> labels, List<String> pods, Instant lastSeen) {

    public static final String SCHEMA = "hubble-topology.workload/v1";
    public static final int MAX_PODS = 200;

    public Workload {
        schema = schema == null ? SCHEMA : schema;
        labels = labels == null ? Map.of() : labels;
        pods = pods == null ? List.of() : List.copyOf(pods);
    }
}
