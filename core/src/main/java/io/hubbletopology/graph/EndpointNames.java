package io.hubbletopology.graph;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import io.hubbletopology.records.EndpointRef;

/**
 * Names a flow's endpoint the way operators think of it. The rules, in order:
 * <ol>
 *   <li>A pod: its workload, {@code kind/name} from Hubble's workloads (kind lower-cased); else derived from
 *       the pod name: a CronJob's {@code name-<8-digit schedule time>-<suffix>} is {@code cronjob/name}, a
 *       Deployment's {@code name-<replicaset hash>-<suffix>} {@code deployment/name}, a StatefulSet's
 *       {@code name-<ordinal>} {@code statefulset/name}; else the {@code app} label, else the
 *       {@code app.kubernetes.io/name} label ({@code app/<value>}); else a DaemonSet's or Job's
 *       {@code name-<5-character suffix>} is {@code daemonset/name}; else {@code pod/<pod name>}.</li>
 *   <li>No pod, a reserved security identity (1 host, 2 world, 4 health, 6 remote-node, 7 kube-apiserver,
 *       8 ingress, ...) or a {@code reserved:} label: that identity's name, except that world is named by DNS
 *       when Hubble resolved a name.</li>
 *   <li>No pod, DNS names from Hubble: the first name.</li>
 *   <li>Else the IP's kind: {@code private}, {@code public}, {@code loopback}, {@code link-local},
 *       {@code multicast}, or {@code unknown}.</li>
 * </ol>
 */
public final class EndpointNames {

    // A ReplicaSet's pod-template hash, then the pod's random suffix.
    // A CronJob's Job is named after the scheduled time in minutes since the epoch (8 digits), then the pod suffix.
    private static final Pattern CRONJOB_POD = Pattern.compile("^(.+)-\\d{8}-[a-z0-9]{5}$");
    private static final Pattern DEPLOYMENT_POD = Pattern.compile("^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$");
    private static final Pattern STATEFUL_POD = Pattern.compile("^(.+)-\\d+$");
    private static final Pattern SUFFIXED_POD = Pattern.compile("^(.+)-[a-z0-9]{5}$");
    private static final String[] RESERVED = {
        null, "host", "world", "unmanaged", "health", "init", "remote-node", "kube-apiserver", "ingress",
        "world-ipv4", "world-ipv6"
    };

    private EndpointNames() {
    }

    public static GraphNode of(EndpointRef endpoint) {
        if (!endpoint.getPod().isEmpty()) {
            return new GraphNode(GraphNode.Kind.WORKLOAD, endpoint.getCluster(), endpoint.getNamespace(), workloadOf(endpoint));
        }
        String reserved = reservedName(endpoint);
        boolean world = reserved != null && reserved.startsWith("world");
        if (reserved != null && !(world && endpoint.getDnsNamesCount() > 0)) {
            return new GraphNode(GraphNode.Kind.RESERVED, endpoint.getCluster(), "", reserved);
        }
        if (endpoint.getDnsNamesCount() > 0) {
            return new GraphNode(GraphNode.Kind.DNS, endpoint.getCluster(), "", endpoint.getDnsNames(0));
        }
        return new GraphNode(GraphNode.Kind.IP, endpoint.getCluster(), endpoint.getNamespace(), ipKind(endpoint.getIp()));
    }

    static String workloadOf(EndpointRef endpoint) {
        if (!endpoint.getWorkloadName().isEmpty()) {
            String kind = endpoint.getWorkloadKind().isEmpty() ? "workload" : endpoint.getWorkloadKind().toLowerCase();
            return kind + "/" + endpoint.getWorkloadName();
        }
        String pod = endpoint.getPod();
        var cronJob = CRONJOB_POD.matcher(pod);
        if (cronJob.matches()) {
            return "cronjob/" + cronJob.group(1);
        }
        var deployment = DEPLOYMENT_POD.matcher(pod);
        if (deployment.matches() && hasDigit(pod.substring(deployment.end(1)))) {
            return "deployment/" + deployment.group(1);
        }
        var stateful = STATEFUL_POD.matcher(pod);
        if (stateful.matches()) {
            return "statefulset/" + stateful.group(1);
        }
        String app = label(endpoint.getLabelsList(), "app");
        if (app == null) {
            app = label(endpoint.getLabelsList(), "app.kubernetes.io/name");
        }
        if (app != null) {
            return "app/" + app;
        }
        var suffixed = SUFFIXED_POD.matcher(pod);
        if (suffixed.matches()) {
            return "daemonset/" + suffixed.group(1);
        }
        return "pod/" + pod;
    }

    private static boolean hasDigit(String s) {
        return s.chars().anyMatch(Character::isDigit);
    }

    static String reservedName(EndpointRef endpoint) {
        int identity = endpoint.getIdentity();
        if (identity > 0 && identity < RESERVED.length) {
            return RESERVED[identity];
        }
        for (String label : endpoint.getLabelsList()) {
            if (label.startsWith("reserved:")) {
                return label.substring("reserved:".length());
            }
        }
        return null;
    }

    /** The value of a Kubernetes label in Cilium's {@code source:key=value} form. */
    static String label(List<String> labels, String key) {
        for (String label : labels) {
            int colon = label.indexOf(':');
            int eq = label.indexOf('=', colon + 1);
            if (eq > 0 && label.substring(colon + 1, eq).equals(key)) {
                return label.substring(eq + 1);
            }
        }
        return null;
    }

    static String ipKind(String ip) {
        if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || Character.isDigit(ip.charAt(0)))) {
            return "unknown";
        }
        try {
            // A literal is parsed without any lookup.
            InetAddress address = InetAddress.getByName(ip);
            if (address.isLoopbackAddress()) {
                return "loopback";
            }
            if (address.isLinkLocalAddress()) {
                return "link-local";
            }
            if (address.isMulticastAddress()) {
                return "multicast";
            }
            if (address.isSiteLocalAddress() || isUniqueLocalV6(address) || isCarrierGradeNat(address)) {
                return "private";
            }
            return "public";
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static boolean isUniqueLocalV6(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }

    private static boolean isCarrierGradeNat(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
}
