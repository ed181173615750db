package io.hubbletopology.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Timestamp;

import io.hubbletopology.hubble.flow.DNS;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowType;
import io.hubbletopology.hubble.flow.HTTP;
import io.hubbletopology.hubble.flow.IP;
import io.hubbletopology.hubble.flow.IPVersion;
import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.Layer7;
import io.hubbletopology.hubble.flow.TCP;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.TrafficDirection;
import io.hubbletopology.hubble.flow.UDP;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.flow.Workload;

/**
 * A small simulated cluster that produces Hubble flows: namespaces with Deployments, StatefulSets and a
 * DaemonSet spread over three nodes, traffic between them (HTTP with status codes, DNS to CoreDNS, database
 * and cache traffic), reserved identities (world, host, remote-node), an external API known by DNS name,
 * policy drops with real drop reasons, and some reply flows. The same seed gives the same flows, apart
 * from their times, which come from the caller.
 *
 * <pre>{@code
 * SyntheticCluster cluster = new SyntheticCluster(42);
 * Flow flow = cluster.next(System.currentTimeMillis() * 1_000_000L);
 * }</pre>
 */
public final class SyntheticCluster {

    static final List<String> NODES = List.of("sim-node-1", "sim-node-2", "sim-node-3");

    private final SplittableRandom random;
    private final long seed;
    private final List<Pod> pods = new ArrayList<>();
    private final List<Conversation> conversations = new ArrayList<>();
    private final int totalWeight;
    private long sequence;

    record Pod(String namespace, String name, String workloadKind, String workloadName, String app, String ip,
               int identity, String node) {
    }

    /** A reserved or external peer: no pod, an identity and maybe a DNS name. */
    record Peer(int identity, String ip, String dnsName, String reservedLabel) {
    }

    enum L7 { NONE, HTTP, DNS }

    record Conversation(Object from, Object to, String protocol, int port, L7 l7, double dropRate, DropReason dropReason,
                        int weight) {
    }

    public SyntheticCluster(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        int ip = 10;
        int identity = 10_000;
        ip = addWorkload("shop", "Deployment", "frontend", 3, ip, identity++);
        ip = addWorkload("shop", "Deployment", "cart", 2, ip, identity++);
        ip = addWorkload("shop", "Deployment", "checkout", 2, ip, identity++);
        ip = addWorkload("payments", "Deployment", "payments-api", 2, ip, identity++);
        ip = addWorkload("data", "StatefulSet", "postgres", 2, ip, identity++);
        ip = addWorkload("data", "StatefulSet", "redis", 1, ip, identity++);
        ip = addWorkload("kube-system", "Deployment", "coredns", 2, ip, identity++);
        addWorkload("monitoring", "DaemonSet", "node-exporter", 3, ip, identity);

        Peer world = new Peer(2, "203.0.113.7", "", "reserved:world");
        Peer host = new Peer(1, "192.168.10.1", "", "reserved:host");
        Peer remoteNode = new Peer(6, "192.168.10.2", "", "reserved:remote-node");
        Peer stripe = new Peer(2, "198.51.100.20", "api.stripe.com", "reserved:world");

        conversations.add(new Conversation(world, "shop/frontend", "TCP", 8080, L7.HTTP, 0.0, DropReason.DROP_REASON_UNKNOWN, 30));
        conversations.add(new Conversation("shop/frontend", "shop/cart", "TCP", 8080, L7.HTTP, 0.0, DropReason.DROP_REASON_UNKNOWN, 25));
        conversations.add(new Conversation("shop/frontend", "shop/checkout", "TCP", 8080, L7.HTTP, 0.0, DropReason.DROP_REASON_UNKNOWN, 10));
        conversations.add(new Conversation("shop/cart", "data/redis", "TCP", 6379, L7.NONE, 0.0, DropReason.DROP_REASON_UNKNOWN, 20));
        conversations.add(new Conversation("shop/checkout", "payments/payments-api", "TCP", 8443, L7.HTTP, 0.02, DropReason.POLICY_DENIED, 8));
        conversations.add(new Conversation("shop/checkout", "data/postgres", "TCP", 5432, L7.NONE, 0.0, DropReason.DROP_REASON_UNKNOWN, 8));
        conversations.add(new Conversation("payments/payments-api", stripe, "TCP", 443, L7.NONE, 0.0, DropReason.DROP_REASON_UNKNOWN, 5));
        conversations.add(new Conversation("payments/payments-api", "data/postgres", "TCP", 5432, L7.NONE, 0.0, DropReason.DROP_REASON_UNKNOWN, 5));
        // The frontend is not allowed to reach the database: every attempt is dropped by policy.
        conversations.add(new Conversation("shop/frontend", "data/postgres", "TCP", 5432, L7.NONE, 1.0, DropReason.POLICY_DENIED, 3));
        conversations.add(new Conversation("*", "kube-system/coredns", "UDP", 53, L7.DNS, 0.0, DropReason.DROP_REASON_UNKNOWN, 25));
        conversations.add(new Conversation(host, "shop/cart", "TCP", 8080, L7.NONE, 0.0, DropReason.DROP_REASON_UNKNOWN, 6));
        conversations.add(new Conversation(remoteNode, "monitoring/node-exporter", "TCP", 9100, L7.NONE, 0.0, DropReason.DROP_REASON_UNKNOWN, 4));
        conversations.add(new Conversation("data/redis", "data/postgres", "TCP", 5432, L7.NONE, 0.3, DropReason.CT_MISSING_TCP_ACK_FLAG, 1));
        int sum = 0;
        for (Conversation c : conversations) {
            sum += c.weight();
        }
        totalWeight = sum;
    }

    private int addWorkload(String ns, String kind, String name, int replicas, int ip, int identity) {
        for (int i = 0; i < replicas; i++) {
            String podName = switch (kind) {
                case "StatefulSet" -> name + "-" + i;
                case "DaemonSet" -> name + "-" + suffix(5);
                default -> name + "-" + hash(name) + "-" + suffix(5);
            };
            String node = NODES.get((pods.size() + i) % NODES.size());
            pods.add(new Pod(ns, podName, kind, name, name, "10.0." + (ip / 250) + "." + (ip % 250 + 1), identity, node));
            ip++;
        }
        return ip;
    }

    private String hash(String name) {
        // A ReplicaSet's pod-template hash looks like 7d4b9c5f8 (9 to 10 characters, letters and digits).
        return Integer.toHexString((name.hashCode() & 0xfffffff) | 0x1000000).substring(0, 7) + "b9";
    }

    private String suffix(int length) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The next flow of the simulation, stamped with the given time. */
    public synchronized Flow next(long timeUnixNanos) {
        long seq = sequence++;
        Conversation c = pick();
        Object source = "*".equals(c.from()) ? pods.get(random.nextInt(pods.size())) : resolve(c.from());
        Object destination = resolve(c.to());
        boolean dropped = c.dropRate() > 0 && random.nextDouble() < c.dropRate();
        // About one flow in five is a reply; policy drops are never replies.
        boolean reply = !dropped && random.nextInt(5) == 0;
        int sourcePort = 32768 + random.nextInt(28000);

        Flow.Builder flow = Flow.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(timeUnixNanos / 1_000_000_000L).setNanos((int) (timeUnixNanos % 1_000_000_000L)))
                .setUuid(new UUID(seed, seq).toString())
                .setVerdict(dropped ? Verdict.DROPPED : Verdict.FORWARDED)
                .setType(c.l7() == L7.NONE || dropped ? FlowType.L3_L4 : FlowType.L7)
                .setTrafficDirection(TrafficDirection.EGRESS)
                .setIsReply(BoolValue.of(reply));
        if (dropped) {
            flow.setDropReasonDesc(c.dropReason()).setDropReason(c.dropReason().getNumber());
        }
        Endpoint.Builder src = endpointOf(source);
        Endpoint.Builder dst = endpointOf(destination);
        // The node that saw the flow: the source pod's, else the destination pod's.
        String node = source instanceof Pod p ? p.node() : ((Pod) destination).node();
        if (destination instanceof Peer peer && !peer.dnsName().isEmpty()) {
            flow.addDestinationNames(peer.dnsName());
        }
        flow.setSource(src).setDestination(dst).setNodeName(node)
                .setIP(IP.newBuilder().setSource(ipOf(source)).setDestination(ipOf(destination)).setIpVersion(IPVersion.IPv4));
        if (c.protocol().equals("UDP")) {
            flow.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setSourcePort(sourcePort).setDestinationPort(c.port())));
        } else {
            TCPFlags.Builder flags = TCPFlags.newBuilder();
            int r = random.nextInt(100);
            if (dropped || r < 15) {
                flags.setSYN(true);
            } else if (r < 17) {
                flags.setRST(true);
            } else {
                flags.setACK(true).setPSH(r % 2 == 0);
            }
            flow.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(sourcePort).setDestinationPort(c.port()).setFlags(flags)));
        }
        if (!dropped && c.l7() != L7.NONE) {
            flow.setL7(layer7(c.l7(), reply));
        }
        return flow.build();
    }

    private Layer7 layer7(L7 kind, boolean reply) {
        Layer7.Builder l7 = Layer7.newBuilder().setType(reply ? L7FlowType.RESPONSE : L7FlowType.REQUEST);
        if (reply) {
            l7.setLatencyNs(200_000L + random.nextInt(40_000_000));
        }
        if (kind == L7.HTTP) {
            int r = random.nextInt(100);
            int code = r < 90 ? 200 : r < 95 ? 404 : r < 98 ? 503 : 500;
            l7.setHttp(HTTP.newBuilder().setMethod(r % 3 == 0 ? "POST" : "GET").setUrl("/api/v1/items").setProtocol("HTTP/1.1")
                    .setCode(reply ? code : 0));
        } else {
            boolean nx = random.nextInt(20) == 0;
            l7.setDns(DNS.newBuilder().setQuery(nx ? "missing.shop.svc.cluster.local." : "cart.shop.svc.cluster.local.")
                    .setRcode(reply && nx ? 3 : 0).addQtypes("A"));
        }
        return l7.build();
    }

    private Conversation pick() {
        int r = random.nextInt(totalWeight);
        for (Conversation c : conversations) {
            r -= c.weight();
            if (r < 0) {
                return c;
            }
        }
        return conversations.get(conversations.size() - 1);
    }

    private Object resolve(Object endpoint) {
        return endpoint instanceof String s ? podOf(s) : endpoint;
    }

    private static Endpoint.Builder endpointOf(Object endpoint) {
        return endpoint instanceof Pod p ? endpoint(p) : peerEndpoint((Peer) endpoint);
    }

    private static String ipOf(Object endpoint) {
        return endpoint instanceof Pod p ? p.ip() : ((Peer) endpoint).ip();
    }

    private Pod podOf(String nsAndWorkload) {
        List<Pod> candidates = new ArrayList<>();
        for (Pod p : pods) {
            if ((p.namespace() + "/" + p.workloadName()).equals(nsAndWorkload)) {
                candidates.add(p);
            }
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private static Endpoint.Builder endpoint(Pod p) {
        return Endpoint.newBuilder()
                .setIdentity(p.identity())
                .setNamespace(p.namespace())
                .setPodName(p.name())
                .addLabels("k8s:app=" + p.app())
                .addLabels("k8s:io.kubernetes.pod.namespace=" + p.namespace())
                .addWorkloads(Workload.newBuilder().setKind(p.workloadKind()).setName(p.workloadName()));
    }

    private static Endpoint.Builder peerEndpoint(Peer peer) {
        return Endpoint.newBuilder().setIdentity(peer.identity()).addLabels(peer.reservedLabel());
    }
}
