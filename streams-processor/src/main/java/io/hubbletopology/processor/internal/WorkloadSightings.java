package io.hubbletopology.processor.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

import io.hubbletopology.graph.EndpointNames;
import io.hubbletopology.graph.GraphNode;
import io.hubbletopology.records.EndpointRef;

/**
 * Turns flows into workload sightings, keyed by workload id, passing on only what is news: a workload or pod
 * not seen before, changed labels, or a last-seen time at least {@code refreshMs} later than the last one
 * passed on. Without this every flow would cross the repartition topic twice; with it the inventory sees a
 * few records per workload and refresh interval. What this remembers is per task and in memory only: after a
 * restart it passes a little more on, never less.
 */
final class WorkloadSightings extends ContextualProcessor<String, FlowView, String, WorkloadSighting> {

    private static final int REMEMBERED_WORKLOADS = 10_000;
    private static final int REMEMBERED_PODS = 50_000;

    private final long refreshMs;
    private final Map<String, Passed> passed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Passed> eldest) {
            return size() > REMEMBERED_WORKLOADS;
        }
    };
    // The fast path: most flows come from pods passed on moments ago with the same security identity (which
    // changes whenever the pod's labels do), so there is no need to name the workload or read the labels again.
    private final Map<PodRef, PodPassed> pods = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PodRef, PodPassed> eldest) {
            return size() > REMEMBERED_PODS;
        }
    };

    private record PodRef(String cluster, String namespace, String pod) {
    }

    private record PodPassed(int identity, long timeMs) {
    }

    /** What was last passed on for one workload. */
    private static final class Passed {
        final Set<String> pods = new HashSet<>();
        Map<String, String> labels;
        long timeMs;
    }

    WorkloadSightings(long refreshMs) {
        this.refreshMs = refreshMs;
    }

    @Override
    public void process(Record<String, FlowView> record) {
        long timeMs = record.value().timeUnixNanos() / 1_000_000L;
        sight(record.value().source(), timeMs, record);
        sight(record.value().destination(), timeMs, record);
    }

    private void sight(FlowView.Endpoint seenIn, long timeMs, Record<String, FlowView> record) {
        if (seenIn.pod().isEmpty()) {
            return;
        }
        PodRef pod = new PodRef(seenIn.cluster(), seenIn.namespace(), seenIn.pod());
        PodPassed seen = pods.get(pod);
        if (seen != null && seen.identity() == seenIn.identity() && timeMs < seen.timeMs() + refreshMs) {
            return;
        }
        // Not known yet, or due: only now are the endpoint's labels read.
        EndpointRef endpoint = seenIn.ref();
        GraphNode node = EndpointNames.of(endpoint);
        if (node.kind() != GraphNode.Kind.WORKLOAD) {
            return;
        }
        String id = node.id();
        Map<String, String> labels = podLabels(endpoint);
        Passed last = passed.get(id);
        boolean news = last == null || !last.pods.contains(endpoint.getPod()) || !last.labels.equals(labels)
                || timeMs >= last.timeMs + refreshMs;
        if (!news) {
            pods.put(pod, new PodPassed(endpoint.getIdentity(), last.timeMs));
            return;
        }
        if (last == null) {
            last = new Passed();
            passed.put(id, last);
        }
        last.pods.add(endpoint.getPod());
        last.labels = labels;
        last.timeMs = Math.max(last.timeMs, timeMs);
        pods.put(pod, new PodPassed(endpoint.getIdentity(), last.timeMs));
        int slash = node.name().indexOf('/');
        context().forward(record.withKey(id).withValue(new WorkloadSighting(id, node.cluster(), node.namespace(),
                node.name().substring(0, slash), node.name().substring(slash + 1), labels, endpoint.getPod(), timeMs)));
    }

    /**
     * The pod's Kubernetes labels from Cilium's {@code k8s:key=value} labels, without the ones Cilium adds for
     * its own bookkeeping (namespace, service account, cluster, namespace labels).
     */
    static Map<String, String> podLabels(EndpointRef endpoint) {
        Map<String, String> labels = new TreeMap<>();
        for (String label : endpoint.getLabelsList()) {
            if (!label.startsWith("k8s:")) {
                continue;
            }
            int eq = label.indexOf('=');
            String key = eq < 0 ? label.substring(4) : label.substring(4, eq);
            if (key.startsWith("io.kubernetes.pod.") || key.startsWith("io.cilium.")) {
                continue;
            }
            labels.put(key, eq < 0 ? "" : label.substring(eq + 1));
        }
        return labels;
    }
}
