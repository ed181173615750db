package io.hubbletopology.graph;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node of the topology graph: what operators call the thing at one end of a flow.
 *
 * @param kind      what sort of endpoint this is
 * @param cluster   the Cilium cluster name, empty when Hubble did not say
 * @param namespace the Kubernetes namespace, empty for endpoints outside the cluster's pods
 * @param name      the workload ({@code kind/name}, e.g. {@code deployment/frontend}), the reserved identity
 *                  ({@code world}, {@code host}, ...), the DNS name, or the IP's kind
 */
public record GraphNode(Kind kind, String cluster, String namespace, String name) {

    /** An id as {@link #id()} writes it: an optional {@code cluster:}, then a kind prefix or {@code namespace/}. */
    private static final Pattern ID = Pattern.compile("^(?:([^:/]+):(?=(?:reserved|dns|ip):|[^:]*/))?(?:(reserved|dns|ip):(.*)|([^/]*)/(.+))$");

    public enum Kind {
        /** A Kubernetes workload (or a pod whose workload could not be told). */
        WORKLOAD,
        /** One of Cilium's reserved identities: host, world, remote-node, health, kube-apiserver, ... */
        RESERVED,
        /** Outside the cluster, known by the DNS name Hubble resolved. */
        DNS,
        /** Known only by its IP address: named for the kind of address. */
        IP;

        /** The lower-case name the API uses. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public GraphNode {
        Objects.requireNonNull(kind, "kind");
        cluster = cluster == null ? "" : cluster;
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    /**
     * The stable text id used in keys and APIs: {@code namespace/kind/name} for workloads,
     * {@code reserved:world}, {@code dns:api.example.com}, {@code ip:private} otherwise; prefixed with
     * {@code cluster:} when the cluster is named.
     */
    public String id() {
        String local = switch (kind) {
            case WORKLOAD -> namespace + "/" + name;
            case RESERVED -> "reserved:" + name;
            case DNS -> "dns:" + name;
            case IP -> "ip:" + name;
        };
        return cluster.isEmpty() ? local : cluster + ":" + local;
    }

    /**
     * The node an id names: the inverse of {@link #id()}, for those who hold only the id (an edge's {@code src},
     * a policy's peer). Empty for text that is no node id.
     */
    public static Optional<GraphNode> parse(String id) {
        Matcher m = ID.matcher(id == null ? "" : id);
        if (!m.matches()) {
            return Optional.empty();
        }
        String cluster = m.group(1);
        if (m.group(2) != null) {
            Kind kind = Kind.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            return Optional.of(new GraphNode(kind, cluster, "", m.group(3)));
        }
        return Optional.of(new GraphNode(Kind.WORKLOAD, cluster, m.group(4), m.group(5)));
    }
}
