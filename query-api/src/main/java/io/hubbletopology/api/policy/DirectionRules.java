package io.hubbletopology.api.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.hubbletopology.api.policy.CiliumNetworkPolicy.EgressRule;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.FqdnSelector;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.HttpRule;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.IngressRule;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.L7Rules;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.PortProtocol;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.PortRule;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.Selector;
import io.hubbletopology.processor.output.EdgeStats;

/**
 * The rules of one direction (ingress or egress) of one workload: its edges grouped by the peer a rule can
 * name, each group one rule with the ports it was seen on, and what was not allowed, with why. With L7 asked
 * for, a TCP port whose edges all carried their whole list of HTTP routes gets a PortRule of its own with those
 * routes as HTTP rules ({@link HttpRoutes}); a port where an edge's routes are not the whole list (more routes
 * than the figures keep, requests without a method or path, traffic without HTTP requests) stays an L4 rule,
 * and the notes say why, since HTTP rules from part of the routes would deny the rest.
 */
final class DirectionRules {

    /** The CRD's limit on ports in one PortRule. */
    static final int MAX_PORTS = 40;
    private static final Set<String> PORT_PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    /** Where toFQDNs' DNS lookups go when no DNS flow was seen: the kube-dns Service's pods, as clusters label them. */
    static final Map<String, String> KUBE_DNS = Map.of(SelectorLabels.NAMESPACE, "kube-system", "k8s:k8s-app", "kube-dns");

    record PortKey(String protocol, int port) implements Comparable<PortKey> {
        @Override
        public int compareTo(PortKey o) {
            return Comparator.comparing(PortKey::protocol).thenComparingInt(PortKey::port).compare(this, o);
        }

        boolean dns() {
            return port == 53 && (protocol.equals("UDP") || protocol.equals("TCP"));
        }

        /** Cilium's HTTP rules need TCP; the DNS ports keep their DNS rule. */
        boolean http() {
            return protocol.equals("TCP") && !dns();
        }

        @Override
        public String toString() {
            return protocol + "/" + port;
        }
    }

    /** The edges one rule allows. */
    private static final class PeerGroup {
        final PolicyPeer peer;
        final Set<String> nodes = new TreeSet<>();
        final Map<PortKey, Long> ports = new TreeMap<>();
        final Map<PortKey, PortHttp> http = new TreeMap<>();

        PeerGroup(PolicyPeer peer) {
            this.peer = peer;
        }

        long flows() {
            return ports.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** What the edges of one port of a group said about HTTP. */
    private static final class PortHttp {
        final Map<EdgeStats.Route, Long> routes = new TreeMap<>();
        final List<String> incomplete = new ArrayList<>();
        final List<String> withoutHttp = new ArrayList<>();

        void add(EdgeStats e) {
            EdgeStats.Http http = e.http();
            if (http.requests() == 0) {
                withoutHttp.add(e.edgeKey());
            } else if (!http.routesComplete()) {
                long listed = http.routes().stream().mapToLong(EdgeStats.Route::requests).sum();
                incomplete.add(e.edgeKey() + " -- " + (http.requests() - listed) + " of its " + http.requests()
                        + " HTTP requests are not in the routes its figures keep (more than "
                        + EdgeStats.Http.MAX_ROUTES + " method and path pairs in a window, or no method or path)");
            } else {
                http.routes().forEach(r -> routes.merge(new EdgeStats.Route(r.method(), r.path(), 0), r.requests(), Long::sum));
            }
        }

        /** The HTTP rules of the port, or none when a rule from what was seen would deny traffic that was seen. */
        List<HttpRule> rules() {
            return routes.isEmpty() || !incomplete.isEmpty() || !withoutHttp.isEmpty() ? List.of()
                    : routes.keySet().stream().map(HttpRoutes::rule).toList();
        }

        /** Why the port has no HTTP rule though some of its edges carried HTTP; null when that needs no word. */
        String whyNone() {
            if (!incomplete.isEmpty()) {
                return String.join("; ", incomplete);
            }
            if (!routes.isEmpty() && !withoutHttp.isEmpty()) {
                return String.join(", ", withoutHttp) + " carried flows but no HTTP request on that port";
            }
            return null;
        }
    }

    private final Map<String, PeerGroup> groups = new TreeMap<>();
    private final boolean l7;
    private final List<String> notes = new ArrayList<>();
    private long flows;
    private boolean droppedOnly;

    private DirectionRules(boolean l7) {
        this.l7 = l7;
    }

    /**
     * @param edges  the workload's edges in this direction
     * @param peerOf the policy peer at the other end of an edge
     * @param peerId the node id at the other end of an edge
     * @param l7     whether to write HTTP rules where the edges carried their routes
     */
    static DirectionRules of(List<EdgeStats> edges, Function<EdgeStats, PolicyPeer> peerOf, Function<EdgeStats, String> peerId,
                             boolean l7) {
        DirectionRules rules = new DirectionRules(l7);
        edges.stream().sorted(Comparator.comparing(EdgeStats::edgeKey)).forEach(e -> rules.add(e, peerOf.apply(e), peerId.apply(e)));
        return rules;
    }

    /** Flows that got through: neither dropped nor in error (forwarded, audited, redirected to a proxy, ...). */
    static long passed(EdgeStats e) {
        return e.flows() - e.dropped() - e.verdicts().getOrDefault("ERROR", 0L);
    }

    private void add(EdgeStats e, PolicyPeer peer, String peerId) {
        flows += e.flows();
        long passed = passed(e);
        if (passed <= 0) {
            if (e.dropped() > 0) {
                droppedOnly = true;
                notes.add("not allowed, only ever dropped: " + e.edgeKey() + " -- " + e.dropped() + " flows dropped"
                        + reasons(e));
            } else {
                notes.add("not allowed, no flow got through: " + e.edgeKey() + " -- verdicts " + e.verdicts());
            }
            return;
        }
        if (!PORT_PROTOCOLS.contains(e.protocol()) || e.port() <= 0) {
            notes.add("not allowed: " + e.edgeKey() + " -- " + passed + " flows; " + e.protocol()
                    + " has no port a toPorts rule can name (the edge figures keep no ICMP type)");
            return;
        }
        if (peer instanceof PolicyPeer.Unselectable none) {
            notes.add("not allowed: " + e.edgeKey() + " -- " + passed + " flows; " + peerId + ": " + none.reason());
            return;
        }
        if (e.dropped() > 0) {
            notes.add("allowed although " + e.dropped() + " of its " + e.flows() + " flows were dropped" + reasons(e) + ": "
                    + e.edgeKey());
        }
        PeerGroup group = groups.computeIfAbsent(peer.key(), k -> new PeerGroup(peer));
        group.nodes.add(peerId);
        PortKey port = new PortKey(e.protocol(), e.port());
        group.ports.merge(port, passed, Long::sum);
        if (l7 && port.http()) {
            group.http.computeIfAbsent(port, k -> new PortHttp()).add(e);
        }
    }

    private static String reasons(EdgeStats e) {
        return e.dropReasons().isEmpty() ? "" : " (" + e.dropReasons().entrySet().stream()
                .map(r -> r.getKey() + " " + r.getValue()).collect(Collectors.joining(", ")) + ")";
    }

    long flows() {
        return flows;
    }



    /** True when an edge of this direction was only ever dropped. */
    boolean droppedOnly() {
        return droppedOnly;
    }

    /** The notes on edges this direction does not allow, or allows despite drops, prefixed with the direction. */
    List<String> notes(String direction) {
        return notes.stream().map(n -> direction + ": " + n).toList();
    }

    List<IngressRule> ingressRules(List<String> header) {
        List<IngressRule> rules = new ArrayList<>();
        for (PeerGroup g : groups.values()) {
            List<PortRule> toPorts = portRules(g.ports.keySet(), false, httpRules(g, "ingress[" + rules.size() + "]"));
            IngressRule rule = g.peer instanceof PolicyPeer.Endpoints ep
                    ? new IngressRule(List.of(new Selector(ep.matchLabels())), List.of(), toPorts)
                    : new IngressRule(List.of(), List.of(((PolicyPeer.Entity) g.peer).name()), toPorts);
            header.add("ingress[" + rules.size() + "] from " + String.join(", ", g.nodes) + ": " + ports(g) + httpSaid(toPorts)
                    + " -- " + g.flows() + " flows");
            rules.add(rule);
        }
        return rules;
    }

    List<EgressRule> egressRules(List<String> header) {
        boolean fqdns = groups.values().stream().anyMatch(g -> g.peer instanceof PolicyPeer.Fqdn);
        boolean dnsSeen = groups.values().stream().anyMatch(g -> g.ports.keySet().stream().anyMatch(PortKey::dns));
        List<EgressRule> rules = new ArrayList<>();
        for (PeerGroup g : groups.values()) {
            // toFQDNs works only when Cilium's DNS proxy sees the lookups: the DNS ports get a DNS rule then.
            List<PortRule> toPorts = portRules(g.ports.keySet(), fqdns, httpRules(g, "egress[" + rules.size() + "]"));
            EgressRule rule = egressRule(g.peer, toPorts);
            boolean dnsRule = fqdns && g.ports.keySet().stream().anyMatch(PortKey::dns);
            header.add("egress[" + rules.size() + "] to " + String.join(", ", g.nodes) + ": " + ports(g)
                    + (dnsRule ? " (with the DNS rule toFQDNs needs)" : "") + httpSaid(toPorts) + " -- " + g.flows() + " flows");
            rules.add(rule);
        }
        if (fqdns && !dnsSeen) {
            Set<PortKey> dns = Set.of(new PortKey("UDP", 53), new PortKey("TCP", 53));
            rules.add(new EgressRule(List.of(new Selector(KUBE_DNS)), List.of(), List.of(), List.of(), portRules(dns, true, Map.of())));
            header.add("egress[" + (rules.size() - 1) + "] to kube-dns (kube-system, k8s-app=kube-dns): UDP/53, TCP/53 -- 0 flows;"
                    + " added because toFQDNs needs Cilium's DNS proxy to see the lookups and no DNS flow was seen");
        }
        return rules;
    }

    private static EgressRule egressRule(PolicyPeer peer, List<PortRule> toPorts) {
        if (peer instanceof PolicyPeer.Endpoints ep) {
            return new EgressRule(List.of(new Selector(ep.matchLabels())), List.of(), List.of(), List.of(), toPorts);
        }
        if (peer instanceof PolicyPeer.Fqdn f) {
            return new EgressRule(List.of(), List.of(), List.of(FqdnSelector.name(f.name())), List.of(), toPorts);
        }
        return new EgressRule(List.of(), List.of(((PolicyPeer.Entity) peer).name()), List.of(), List.of(), toPorts);
    }

    private static String ports(PeerGroup g) {
        return g.ports.keySet().stream().map(PortKey::toString).collect(Collectors.joining(", "));
    }

    /** The HTTP rules per port of a group (only the ports that get some), and a note per port that cannot. */
    private Map<PortKey, List<HttpRule>> httpRules(PeerGroup g, String rule) {
        Map<PortKey, List<HttpRule>> rules = new TreeMap<>();
        g.http.forEach((port, http) -> {
            List<HttpRule> listed = http.rules();
            if (!listed.isEmpty()) {
                rules.put(port, listed);
            } else if (http.whyNone() != null) {
                notes.add("no L7 rule in " + rule + " for " + port + ", which stays an L4 rule: " + http.whyNone()
                        + "; HTTP rules from the routes seen would deny the traffic they leave out");
            }
        });
        return rules;
    }

    private static String httpSaid(List<PortRule> toPorts) {
        List<String> said = toPorts.stream().filter(r -> r.rules() != null && !r.rules().http().isEmpty())
                .map(r -> r.rules().http().size() + " HTTP routes on " + r.ports().get(0).protocol() + "/" + r.ports().get(0).port())
                .toList();
        return said.isEmpty() ? "" : " (" + String.join(", ", said) + ")";
    }

    /**
     * The ports as PortRules of at most {@value #MAX_PORTS} ports; with {@code dns}, the DNS ports in a rule of their own;
     * a port with HTTP rules in a rule of its own with them.
     */
    private static List<PortRule> portRules(Set<PortKey> ports, boolean dns, Map<PortKey, List<HttpRule>> http) {
        List<PortRule> rules = new ArrayList<>();
        List<PortKey> plain = ports.stream().filter(p -> !(dns && p.dns()) && !http.containsKey(p)).sorted().toList();
        List<PortKey> lookups = ports.stream().filter(p -> dns && p.dns()).sorted().toList();
        for (int i = 0; i < plain.size(); i += MAX_PORTS) {
            rules.add(new PortRule(protocols(plain.subList(i, Math.min(plain.size(), i + MAX_PORTS))), null));
        }
        http.forEach((port, httpRules) -> rules.add(new PortRule(protocols(List.of(port)), L7Rules.http(httpRules))));
        if (!lookups.isEmpty()) {
            rules.add(new PortRule(protocols(lookups), L7Rules.dns(List.of(FqdnSelector.pattern("*")))));
        }
        return rules;
    }

    private static List<PortProtocol> protocols(List<PortKey> ports) {
        return ports.stream().map(p -> new PortProtocol(String.valueOf(p.port()), p.protocol())).toList();
    }
}
