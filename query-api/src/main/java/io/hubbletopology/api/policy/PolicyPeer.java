package io.hubbletopology.api.policy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.hubbletopology.graph.GraphNode;
import io.hubbletopology.processor.output.Workload;

/**
 * The other end of an edge, as a policy can name it: a workload by its labels, one of Cilium's entities, a DNS
 * name, or nothing (with the reason). Edges carry only node ids, so a peer is found in the workload
 * inventory first, and only a node the inventory does not know is read from its id ({@link GraphNode#parse}:
 * {@code reserved:host}, {@code dns:api.example.com}, {@code ip:public}).
 */
sealed interface PolicyPeer {

    /** The text that groups edges into one rule: two edges with the same key share a rule. */
    String key();

    /** Pods of a workload, by labels; with the namespace (and cluster) labels when they are not the policy's own. */
    record Endpoints(Map<String, String> matchLabels) implements PolicyPeer {
        @Override
        public String key() {
            return "endpoints " + matchLabels;
        }
    }

    /** One of Cilium's entities: world, host, remote-node, health, kube-apiserver, ingress, ... */
    record Entity(String name) implements PolicyPeer {
        @Override
        public String key() {
            return "entity " + name;
        }
    }

    /** Outside the cluster, by the DNS name Hubble resolved: egress only (Cilium has no fromFQDNs). */
    record Fqdn(String name) implements PolicyPeer {
        @Override
        public String key() {
            return "fqdn " + name;
        }
    }

    /** A peer no rule can name. */
    record Unselectable(String reason) implements PolicyPeer {
        @Override
        public String key() {
            return "none " + reason;
        }
    }

    /** The entities the CRD's enum accepts, by the reserved identity names Hubble gives. */
    Map<String, String> ENTITIES = Map.of("world", "world", "world-ipv4", "world", "world-ipv6", "world", "host", "host",
            "remote-node", "remote-node", "health", "health", "kube-apiserver", "kube-apiserver", "ingress", "ingress",
            "init", "init", "unmanaged", "unmanaged");
    /** The CRD's pattern for toFQDNs matchName. */
    Pattern FQDN = Pattern.compile("^([-a-zA-Z0-9_]+[.]?)+$");
    /** Addresses a pod cannot be allowed to reach by policy in any useful sense. */
    Set<String> NO_ENTITY_IPS = Set.of("ip:loopback", "ip:unknown");

    /**
     * @param id        the node id of an edge's end
     * @param inventory the workloads by node id
     * @param namespace the policy's namespace: a workload elsewhere is selected with its namespace label
     * @param cluster   the policy's workload's cluster: a workload of another cluster is selected with its cluster label
     * @param egress    whether the peer is a destination (a DNS name can be allowed only as one)
     */
    static PolicyPeer of(String id, Map<String, Workload> inventory, String namespace, String cluster, boolean egress) {
        Workload workload = inventory.get(id);
        if (workload != null) {
            Map<String, String> labels = new TreeMap<>(SelectorLabels.of(workload));
            if (labels.isEmpty()) {
                return new Unselectable("its pods carry no label a selector can use");
            }
            if (!workload.namespace().equals(namespace)) {
                labels.put(SelectorLabels.NAMESPACE, workload.namespace());
            }
            if (!workload.cluster().isEmpty() && !workload.cluster().equals(cluster)) {
                labels.put(SelectorLabels.CLUSTER, workload.cluster());
            }
            return new Endpoints(labels);
        }
        GraphNode node = GraphNode.parse(id).orElse(null);
        if (node == null || node.kind() == GraphNode.Kind.WORKLOAD) {
            return new Unselectable("not in the workload inventory, so its labels are not known");
        }
        String local = new GraphNode(node.kind(), "", "", node.name()).id();
        switch (node.kind()) {
            case RESERVED -> {
                String entity = ENTITIES.get(node.name());
                return entity == null ? new Unselectable("no Cilium entity stands for " + local) : new Entity(entity);
            }
            case DNS -> {
                if (!egress) {
                    // Hubble names a source by DNS only when it is outside the cluster: that is the world entity.
                    return new Entity("world");
                }
                return FQDN.matcher(node.name()).matches() && node.name().length() <= 255 ? new Fqdn(node.name()) : new Entity("world");
            }
            default -> {
                return NO_ENTITY_IPS.contains(local) ? new Unselectable("known only as " + local)
                        // The edge figures keep no addresses, so no toCIDR can be written: the world entity covers them.
                        : new Entity("world");
            }
        }
    }
}
