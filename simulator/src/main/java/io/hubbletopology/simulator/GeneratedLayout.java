package io.hubbletopology.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.hubbletopology.hubble.flow.DropReason;

/**
 * A cluster of any size, generated from a seed in the shape most clusters have. N workloads on the map: a few peers
 * outside the pods (world, host, remote-node, external APIs by DNS name), CoreDNS (and metrics-server) in
 * kube-system, Prometheus, Grafana and a node exporter in monitoring, and the rest spread over about sqrt(N)/2
 * namespaces in all, each holding frontends, APIs, backends and datastores. Traffic flows down those tiers
 * (world -> frontends -> APIs -> backends -> datastores), mostly within a namespace, with a few calls across
 * namespaces; everyone asks CoreDNS, Prometheus scrapes nearly everyone, kubelet probes from the host. Some
 * conversations are dropped by policy (a frontend trying a database, some cross-namespace calls) or now and then by
 * the datapath, with the reasons Cilium gives. One node per 20 workloads (at least three); replicas 1 to 4, spread
 * over the nodes. At 1,000 workloads: 16 namespaces, 50 nodes, about 2,500 pods and about 10,000 conversations.
 */
final class GeneratedLayout {

    private static final String[] DOMAINS = {"orders", "cart", "catalog", "inventory", "pricing", "search", "users",
        "auth", "billing", "invoices", "shipping", "reviews", "recommendations", "notifications", "payments", "ledger",
        "fraud", "media", "profiles", "sessions", "ads", "analytics", "reports", "accounts", "loyalty", "coupons", "tax",
        "returns", "warehouse", "delivery", "chat", "email", "feeds", "tags", "quotes", "contracts", "audit", "exports"};
    private static final String[] NAMESPACES = {"shop", "checkout", "payments", "catalog", "identity", "search",
        "logistics", "marketing", "media", "analytics", "support", "partners", "finance", "inventory", "mobile",
        "billing", "content", "growth"};
    private static final String[] EXTERNAL = {"api.stripe.com", "api.github.com", "s3.amazonaws.com",
        "hooks.slack.com", "api.sendgrid.com", "oauth2.googleapis.com", "api.twilio.com", "sentry.io"};
    /** Datastores by their port: what backends and APIs keep their state in. */
    private static final String[] STORES = {"postgres", "redis", "kafka", "elasticsearch", "mongodb", "mysql"};
    private static final int[] STORE_PORTS = {5432, 6379, 9092, 9200, 27017, 3306};
    private static final int HTTP_PORT = 8080;
    private static final int GRPC_PORT = 9000;
    private static final int METRICS_PORT = 9090;
    private static final int WORKLOADS_PER_NODE = 20;

    private final int workloads;
    private final SplittableRandom random;
    private final List<Party> everyPodWorkload = new ArrayList<>();
    private final Set<String> edges = new HashSet<>();
    private ClusterLayout.Builder cluster;

    private GeneratedLayout(int workloads, SplittableRandom random) {
        this.workloads = workloads;
        this.random = random;
    }

    static ClusterLayout build(int workloads, SplittableRandom random) {
        return new GeneratedLayout(workloads, random).build();
    }

    /** Namespaces of the applications: about sqrt(N)/2 namespaces in all, kube-system and monitoring among them. */
    static int applicationNamespaces(int workloads) {
        return Math.max(1, (int) Math.round(Math.sqrt(workloads) / 2) - 2);
    }

    private ClusterLayout build() {
        List<String> nodes = new ArrayList<>();
        for (int i = 1; i <= Math.max(3, (workloads + WORKLOADS_PER_NODE - 1) / WORKLOADS_PER_NODE); i++) {
            nodes.add("sim-node-" + i);
        }
        cluster = new ClusterLayout.Builder(nodes, random);
        List<OutsidePeer> peers = peers();
        int left = workloads - peers.size();
        // CoreDNS comes first: the one workload of a one-workload cluster, asking itself.
        Party dns = podWorkload("kube-system", "Deployment", "coredns", 2);
        left--;
        Party prometheus = null;
        Party nodeExporter = null;
        if (left >= 3) {
            prometheus = podWorkload("monitoring", "StatefulSet", "prometheus", 2);
            cluster.daemonSet("monitoring", "node-exporter");
            nodeExporter = Party.workload("monitoring", "node-exporter");
            everyPodWorkload.add(nodeExporter);
            left -= 2;
        }
        if (left >= 40) {
            Party grafana = podWorkload("monitoring", "Deployment", "grafana", 1);
            Party metricsServer = podWorkload("kube-system", "Deployment", "metrics-server", 1);
            talk(Conversation.http(grafana, prometheus, METRICS_PORT, "/api/v1/query_range", 3));
            talk(Conversation.tcp(metricsServer, OutsidePeer.HOST, 10250, 2));
            left -= 2;
        }
        List<Tiers> namespaces = applications(left);
        wireApplications(namespaces, peers);
        wireSharedServices(dns, prometheus, nodeExporter, peers);
        return cluster.build(true);
    }

    /** Who is outside the pods: world first, then host and remote-node, then external APIs (one per 100 workloads). */
    private List<OutsidePeer> peers() {
        List<OutsidePeer> peers = new ArrayList<>();
        if (workloads >= 4) {
            peers.add(OutsidePeer.WORLD);
        }
        if (workloads >= 8) {
            peers.add(OutsidePeer.HOST);
            peers.add(OutsidePeer.REMOTE_NODE);
        }
        int external = workloads >= 8 ? Math.min(EXTERNAL.length, Math.max(1, workloads / 100)) : 0;
        for (int i = 0; i < external; i++) {
            peers.add(OutsidePeer.external("198.51.100." + (20 + i), EXTERNAL[i]));
        }
        return peers;
    }

    /** One application namespace's workloads, by tier. */
    private record Tiers(String namespace, List<Party> frontends, List<Party> apis, List<Party> backends,
                         List<Party> stores, List<Integer> storePorts) {
    }

    private List<Tiers> applications(int count) {
        int namespaces = Math.min(applicationNamespaces(workloads), Math.max(1, count));
        List<Tiers> all = new ArrayList<>();
        for (int n = 0; n < namespaces && count > 0; n++) {
            int size = count / (namespaces - n);
            count -= size;
            String ns = NAMESPACES[n % NAMESPACES.length] + (n < NAMESPACES.length ? "" : "-" + (n / NAMESPACES.length + 1));
            all.add(tiers(ns, size));
        }
        return all;
    }

    /** About a tenth frontends, three tenths APIs, three twentieths datastores, the rest backends. */
    private Tiers tiers(String ns, int size) {
        int frontends = Math.max(1, (int) Math.round(size * 0.10));
        int stores = size >= 3 ? Math.max(1, (int) Math.round(size * 0.15)) : 0;
        int apis = size >= 2 ? Math.max(1, (int) Math.round(size * 0.30)) : 0;
        int backends = Math.max(0, size - frontends - stores - apis);
        Tiers t = new Tiers(ns, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        String[] frontendNames = {"web", "storefront", "admin-ui", "mobile-bff", "partner-portal", "docs-site"};
        for (int i = 0; i < frontends; i++) {
            t.frontends().add(podWorkload(ns, "Deployment", numbered(frontendNames, i), 2 + random.nextInt(3)));
        }
        for (int i = 0; i < apis; i++) {
            t.apis().add(podWorkload(ns, "Deployment", numbered(DOMAINS, i) + "-api", 2 + random.nextInt(3)));
        }
        for (int i = 0; i < backends; i++) {
            String kind = random.nextInt(10) == 0 ? "CronJob" : "Deployment";
            String role = kind.equals("CronJob") ? "-sync" : i % 3 == 2 ? "-worker" : "-service";
            t.backends().add(podWorkload(ns, kind, numbered(DOMAINS, i + apis) + role, kind.equals("CronJob") ? 1 : 1 + random.nextInt(3)));
        }
        for (int i = 0; i < stores; i++) {
            int store = i % STORES.length;
            t.stores().add(podWorkload(ns, "StatefulSet", numbered(DOMAINS, i) + "-" + STORES[store], 1 + random.nextInt(3)));
            t.storePorts().add(STORE_PORTS[store]);
        }
        return t;
    }

    private void wireApplications(List<Tiers> namespaces, List<OutsidePeer> peers) {
        List<OutsidePeer> external = peers.stream().filter(p -> !p.dnsName().isEmpty()).toList();
        int nextExternal = 0;
        for (Tiers t : namespaces) {
            List<Party> callees = !t.apis().isEmpty() ? t.apis() : !t.backends().isEmpty() ? t.backends() : t.stores();
            for (Party f : t.frontends()) {
                if (peers.contains(OutsidePeer.WORLD)) {
                    talk(Conversation.http(OutsidePeer.WORLD, f, HTTP_PORT, "/", 10 + random.nextInt(20)));
                }
                for (Party api : some(callees, 5, 12)) {
                    talk(Conversation.http(f, api, HTTP_PORT, "/api/v1/" + name(api), 4 + random.nextInt(10)));
                }
                if (!t.stores().isEmpty() && random.nextInt(4) == 0) {
                    // A frontend trying a database directly: policy drops every attempt.
                    int s = random.nextInt(t.stores().size());
                    talk(Conversation.tcp(f, t.stores().get(s), t.storePorts().get(s), 1).dropping(1.0, DropReason.POLICY_DENIED));
                }
            }
            for (Party api : t.apis()) {
                for (Party backend : some(t.backends(), 4, 10)) {
                    talk(Conversation.http(api, backend, GRPC_PORT, "/" + name(backend) + ".v1/Get", 2 + random.nextInt(8)));
                    if (random.nextInt(2) == 0) {
                        talk(Conversation.http(api, backend, HTTP_PORT, "/internal/" + name(backend), 1 + random.nextInt(3)));
                    }
                }
                storeCalls(api, t, 1, 4);
            }
            for (Party backend : t.backends()) {
                storeCalls(backend, t, 1, 4);
                for (Party other : some(t.backends(), 1, 5)) {
                    if (!other.equals(backend)) {
                        talk(Conversation.http(backend, other, GRPC_PORT, "/" + name(other) + ".v1/Notify", 1 + random.nextInt(4)));
                    }
                }
            }
            // Every external API has a caller; some more call them too.
            List<Party> callers = !t.backends().isEmpty() ? t.backends() : !t.apis().isEmpty() ? t.apis() : t.frontends();
            for (Party caller : callers) {
                if (!external.isEmpty() && (random.nextInt(10) == 0 || nextExternal < external.size())) {
                    talk(Conversation.tcp(caller, external.get(nextExternal++ % external.size()), 443, 1 + random.nextInt(3)));
                }
            }
        }
        crossNamespaceCalls(namespaces);
    }

    private void storeCalls(Party from, Tiers t, int least, int most) {
        for (Party store : some(t.stores(), least, most)) {
            int port = t.storePorts().get(t.stores().indexOf(store));
            Conversation c = Conversation.tcp(from, store, port, 2 + random.nextInt(8));
            // Now and then the datapath drops a packet of a long-lived connection (conntrack lost it).
            talk(random.nextInt(25) == 0 ? c.dropping(0.05, DropReason.CT_MISSING_TCP_ACK_FLAG) : c);
        }
    }

    /** About one API in seven calls an API of another namespace; policy denies one such call in five. */
    private void crossNamespaceCalls(List<Tiers> namespaces) {
        if (namespaces.size() < 2) {
            return;
        }
        for (int n = 0; n < namespaces.size(); n++) {
            for (Party api : namespaces.get(n).apis()) {
                if (random.nextInt(7) != 0) {
                    continue;
                }
                Tiers other = namespaces.get((n + 1 + random.nextInt(namespaces.size() - 1)) % namespaces.size());
                if (other.apis().isEmpty()) {
                    continue;
                }
                Party callee = other.apis().get(random.nextInt(other.apis().size()));
                Conversation c = Conversation.http(api, callee, HTTP_PORT, "/api/v1/" + name(callee), 1 + random.nextInt(4));
                talk(random.nextInt(5) == 0 ? c.dropping(1.0, DropReason.POLICY_DENIED) : c);
            }
        }
    }

    private void wireSharedServices(Party dns, Party prometheus, Party nodeExporter, List<OutsidePeer> peers) {
        for (Party w : everyPodWorkload) {
            if (!w.equals(dns) || everyPodWorkload.size() == 1) {
                String asked = w.equals(dns) ? "kube-dns.kube-system" : name(w) + "." + namespaceOf(w);
                talk(Conversation.dns(w, dns, asked + ".svc.cluster.local.", 2 + random.nextInt(4)));
            }
            if (prometheus != null && !w.equals(prometheus) && !w.equals(nodeExporter) && random.nextInt(10) < 9) {
                talk(Conversation.http(prometheus, w, METRICS_PORT, "/metrics", 1));
            }
            if (peers.contains(OutsidePeer.HOST) && (w.equals(dns) || random.nextInt(10) < 7)) {
                // Kubelet's liveness and readiness probes come from the host.
                talk(Conversation.http(OutsidePeer.HOST, w, HTTP_PORT, "/healthz", 1));
            }
        }
        if (peers.contains(OutsidePeer.WORLD) && everyPodWorkload.size() > 1) {
            // CoreDNS forwards what is not the cluster's to the upstream resolvers; some of it is not allowed out.
            talk(Conversation.dns(dns, OutsidePeer.WORLD, "api.stripe.com.", 3).dropping(0.01, DropReason.POLICY_DENIED));
        }
        if (nodeExporter != null) {
            talk(Conversation.http(prometheus, nodeExporter, 9100, "/metrics", 2));
            if (peers.contains(OutsidePeer.REMOTE_NODE)) {
                talk(Conversation.tcp(OutsidePeer.REMOTE_NODE, nodeExporter, 9100, 2));
            }
        }
    }

    /** Between least and most of the candidates (as many as there are when fewer), drawn without repeats. */
    private List<Party> some(List<Party> candidates, int least, int most) {
        int wanted = Math.min(candidates.size(), least + random.nextInt(most - least + 1));
        List<Party> pool = new ArrayList<>(candidates);
        List<Party> picked = new ArrayList<>();
        for (int i = 0; i < wanted; i++) {
            picked.add(pool.remove(random.nextInt(pool.size())));
        }
        return picked;
    }

    private Party podWorkload(String ns, String kind, String name, int replicas) {
        cluster.workload(ns, kind, name, replicas);
        Party p = Party.workload(ns, name);
        everyPodWorkload.add(p);
        return p;
    }

    /** A conversation once: the same edge twice would only add weight to it. */
    private void talk(Conversation c) {
        if (edges.add(c.from() + ">" + c.to() + ">" + c.protocol() + c.port())) {
            cluster.talk(c);
        }
    }

    private static String numbered(String[] names, int i) {
        return names[i % names.length] + (i < names.length ? "" : "-" + (i / names.length + 1));
    }

    private static String name(Party workload) {
        String w = ((Party.OfWorkload) workload).workload();
        return w.substring(w.indexOf('/') + 1);
    }

    private static String namespaceOf(Party workload) {
        String w = ((Party.OfWorkload) workload).workload();
        return w.substring(0, w.indexOf('/'));
    }
}
