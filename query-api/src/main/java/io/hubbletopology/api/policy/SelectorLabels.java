package io.hubbletopology.api.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.hubbletopology.processor.output.Workload;

/**
 * The labels a policy may select a workload by: its pods' Kubernetes labels, less the ones that name one pod
 * or one revision (a selector on {@code pod-template-hash} would stop matching at the next rollout, one on
 * {@code statefulset.kubernetes.io/pod-name} selects a pod, not the workload), and less values a selector
 * cannot hold (the CRD's MatchLabelsValue: at most 63 characters of {@code [-A-Za-z0-9_.]}, alphanumeric at
 * both ends).
 */
final class SelectorLabels {

    /** Cilium's label for the namespace of an endpoint, as a selector key. */
    static final String NAMESPACE = "k8s:io.kubernetes.pod.namespace";
    /** Cilium's label for the cluster of an endpoint (Cluster Mesh), as a selector key. */
    static final String CLUSTER = "k8s:io.cilium.k8s.policy.cluster";

    private static final Set<String> VOLATILE = Set.of("pod-template-hash", "controller-revision-hash",
            "pod-template-generation", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index",
            "batch.kubernetes.io/controller-uid", "controller-uid", "batch.kubernetes.io/job-completion-index");
    private static final Pattern VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

    private SelectorLabels() {
    }

    /** The workload's labels a selector may use, sorted; empty when none is left. */
    static Map<String, String> of(Workload workload) {
        Map<String, String> kept = new TreeMap<>();
        workload.labels().forEach((key, value) -> {
            if (!VOLATILE.contains(key) && validValue(value)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    static boolean validValue(String value) {
        return value != null && value.length() <= 63 && VALUE.matcher(value).matches();
    }
}
