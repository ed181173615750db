package io.hubbletopology.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Timestamp;

import io.hubbletopology.flowfilter.CiliumEventTypes;
import io.hubbletopology.hubble.flow.CiliumEventType;
import io.hubbletopology.hubble.flow.DNS;
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
 * A simulated cluster that produces Hubble flows. With the default {@value #DEFAULT_WORKLOADS} workloads it is the
 * demo's own small cluster ({@link DemoLayout}): namespaces with Deployments, StatefulSets and a DaemonSet over three
 * nodes, HTTP with status codes, DNS to CoreDNS, database and cache traffic, reserved identities (world, host,
 * remote-node), an external API known by DNS name, policy drops with real drop reasons, and some reply flows. With
 * any other number of workloads (1 to {@value #MAX_WORKLOADS}) the cluster is generated ({@link GeneratedLayout}):
 * about sqrt(N)/2 namespaces of frontends, APIs, backends and datastores, CoreDNS and a monitoring namespace shared
 * by all, about ten edges per workload. The same seed and size give the same flows, apart from their times, which
 * come from the caller.
 *
 * <pre>{@code
 * SyntheticCluster cluster = new SyntheticCluster(42, 1_000);
 * Flow flow = cluster.next(System.currentTimeMillis() * 1_000_000L);
 * double rate = cluster.naturalFlowsPerSecond();   // what its nodes' Hubbles would see together
 * }</pre>
 */
public final class SyntheticCluster {

    /** The demo's cluster: 12 workloads on the map. */
    public static final int DEFAULT_WORKLOADS = DemoLayout.WORKLOADS;
    public static final int MAX_WORKLOADS = 5_000;
    /** The demo's 200 flows/s over its three nodes: what one simulated node's Hubble sees. */
    public static final double FLOWS_PER_NODE_PER_SECOND = 200.0 / 3;

    private final SplittableRandom random;
    private final long seed;
    private final ClusterLayout layout;
    private final Map<String, List<SimulatedPod>> podsByWorkload = new HashMap<>();
    private final int[] cumulativeWeights;
    private long sequence;
    private int turn;

    /** The demo's cluster ({@value #DEFAULT_WORKLOADS} workloads) for a seed. */
    public SyntheticCluster(long seed) {
        this(seed, DEFAULT_WORKLOADS);
    }

    /**
     * A cluster of this many workloads on the map (pods' workloads and the peers outside them).
     *
     * @throws IllegalArgumentException when workloads is not within 1..{@value #MAX_WORKLOADS}
     */
    public SyntheticCluster(long seed, int workloads) {
        if (workloads < 1 || workloads > MAX_WORKLOADS) {
            throw new IllegalArgumentException(workloads + " is not within 1.." + MAX_WORKLOADS);
        }
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.layout = workloads == DEFAULT_WORKLOADS ? DemoLayout.build(random) : GeneratedLayout.build(workloads, random);
        for (SimulatedPod p : layout.pods()) {
            podsByWorkload.computeIfAbsent(p.workload(), w -> new ArrayList<>()).add(p);
        }
        cumulativeWeights = new int[layout.conversations().size()];
        int sum = 0;
        for (int i = 0; i < cumulativeWeights.length; i++) {
            sum += layout.conversations().get(i).weight();
            cumulativeWeights[i] = sum;
        }
    }

    /** The simulated nodes the pods run on. */
    public List<String> nodes() {
        return layout.nodes();
    }

    /** How many distinct conversations (edges: source, destination, protocol, port) the cluster has. */
    public int conversations() {
        return layout.conversations().size();
    }

    /** The rate its nodes' Hubbles would see together: {@link #FLOWS_PER_NODE_PER_SECOND} per node (200 for the demo's). */
    public double naturalFlowsPerSecond() {
        return 200.0 * layout.nodes().size() / 3;
    }

    /** The next flow of the simulation, stamped with the given time. */
    public synchronized Flow next(long timeUnixNanos) {
        long seq = sequence++;
        Conversation c = pick(seq);
        SimulatedPod anyPod = c.from() instanceof Party.AnyPod ? layout.pods().get(random.nextInt(layout.pods().size())) : null;
        Object client = anyPod != null ? anyPod : resolve(c.from());
        Object server = resolve(c.to());
        boolean dropped = c.dropRate() > 0 && random.nextDouble() < c.dropRate();
        // About one flow in five is a reply; policy drops are never replies.
        boolean reply = !dropped && random.nextInt(5) == 0;
        int clientPort = 32768 + random.nextInt(28000);
        // A reply travels back, from the server's port to the client's, as Hubble reports it.
        Object source = reply ? server : client;
        Object destination = reply ? client : server;
        int sourcePort = reply ? c.port() : clientPort;
        int destinationPort = reply ? clientPort : c.port();

        boolean l7 = !dropped && c.l7() != Conversation.L7.NONE;
        Flow.Builder flow = Flow.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(timeUnixNanos / 1_000_000_000L).setNanos((int) (timeUnixNanos % 1_000_000_000L)))
                .setUuid(new UUID(seed, seq).toString())
                .setVerdict(dropped ? Verdict.DROPPED : Verdict.FORWARDED)
                .setType(l7 ? FlowType.L7 : FlowType.L3_L4)
                .setTrafficDirection(TrafficDirection.EGRESS)
                .setIsReply(BoolValue.of(reply));
        // As Cilium's monitor reports them: a drop's subtype is its reason, a trace's its observation point.
        if (dropped) {
            flow.setDropReasonDesc(c.dropReason()).setDropReason(c.dropReason().getNumber())
                    .setEventType(CiliumEventType.newBuilder().setType(CiliumEventTypes.DROP).setSubType(c.dropReason().getNumber()));
        } else {
            flow.setEventType(CiliumEventType.newBuilder().setType(l7 ? CiliumEventTypes.ACCESS_LOG : CiliumEventTypes.TRACE));
        }
        Endpoint.Builder src = endpointOf(source);
        Endpoint.Builder dst = endpointOf(destination);
        // The node that saw the conversation: the client pod's, else the server pod's.
        String node = client instanceof SimulatedPod p ? p.node() : ((SimulatedPod) server).node();
        if (server instanceof OutsidePeer peer && !peer.dnsName().isEmpty()) {
            if (reply) {
                flow.addSourceNames(peer.dnsName());
            } else {
                flow.addDestinationNames(peer.dnsName());
            }
        }
        flow.setSource(src).setDestination(dst).setNodeName(node)
                .setIP(IP.newBuilder().setSource(ipOf(source)).setDestination(ipOf(destination)).setIpVersion(IPVersion.IPv4));
        if (c.protocol().equals("UDP")) {
            flow.setL4(Layer4.newBuilder().setUDP(UDP.newBuilder().setSourcePort(sourcePort).setDestinationPort(destinationPort)));
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
            flow.setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(sourcePort).setDestinationPort(destinationPort).setFlags(flags)));
        }
        if (l7) {
            flow.setL7(layer7(c, reply));
        }
        return flow.build();
    }

    private Layer7 layer7(Conversation c, boolean reply) {
        Layer7.Builder l7 = Layer7.newBuilder().setType(reply ? L7FlowType.RESPONSE : L7FlowType.REQUEST);
        if (reply) {
            l7.setLatencyNs(200_000L + random.nextInt(40_000_000));
        }
        if (c.l7() == Conversation.L7.HTTP) {
            int r = random.nextInt(100);
            int code = r < 90 ? 200 : r < 95 ? 404 : r < 98 ? 503 : 500;
            l7.setHttp(HTTP.newBuilder().setMethod(r % 3 == 0 ? "POST" : "GET").setUrl(c.l7Name()).setProtocol("HTTP/1.1")
                    .setCode(reply ? code : 0));
        } else {
            boolean nx = random.nextInt(20) == 0;
            String name = c.l7Name();
            l7.setDns(DNS.newBuilder().setQuery(nx ? "missing" + name.substring(name.indexOf('.')) : name)
                    .setRcode(reply && nx ? 3 : 0).addQtypes("A"));
        }
        return l7.build();
    }

    private Conversation pick(long seq) {
        List<Conversation> all = layout.conversations();
        if (layout.visitsEveryConversation() && seq % 2 == 0) {
            Conversation c = all.get(turn);
            turn = (turn + 1) % all.size();
            return c;
        }
        int r = random.nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
        // The first conversation whose running total of weights exceeds r: a draw by weight.
        int i = Arrays.binarySearch(cumulativeWeights, r + 1);
        return all.get(i >= 0 ? i : -i - 1);
    }

    private Object resolve(Party party) {
        if (party instanceof Party.OfWorkload w) {
            List<SimulatedPod> candidates = podsByWorkload.get(w.workload());
            return candidates.get(random.nextInt(candidates.size()));
        }
        return party;
    }

    private static Endpoint.Builder endpointOf(Object endpoint) {
        return endpoint instanceof SimulatedPod p ? endpoint(p) : peerEndpoint((OutsidePeer) endpoint);
    }

    private static String ipOf(Object endpoint) {
        return endpoint instanceof SimulatedPod p ? p.ip() : ((OutsidePeer) endpoint).ip();
    }

    private static Endpoint.Builder endpoint(SimulatedPod p) {
        return Endpoint.newBuilder()
                .setIdentity(p.identity())
                .setNamespace(p.namespace())
                .setPodName(p.name())
                .addLabels("k8s:app=" + p.app())
                .addLabels("k8s:io.kubernetes.pod.namespace=" + p.namespace())
                .addWorkloads(Workload.newBuilder().setKind(p.workloadKind()).setName(p.workloadName()));
    }

    private static Endpoint.Builder peerEndpoint(OutsidePeer peer) {
        return Endpoint.newBuilder().setIdentity(peer.identity()).addLabels(peer.reservedLabel());
    }
}
