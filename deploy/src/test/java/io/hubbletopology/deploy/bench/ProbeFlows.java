package io.hubbletopology.deploy.bench;

import java.util.function.LongFunction;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Timestamp;

import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowType;
import io.hubbletopology.hubble.flow.IP;
import io.hubbletopology.hubble.flow.IPVersion;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.TCP;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.TrafficDirection;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.flow.Workload;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * The simulated Hubble server's flows during the benchmark: the synthetic cluster's requests, with a probe flow slipped
 * in at a fixed interval. Probes go to a few edges of their own ({@code bench-probe/probe-client} to
 * {@code probe-server-K} on port 9000+K, spread over the partitions), and each one's emit time is written in
 * the {@link ProbeLedger}; the edge updates that count them tell when each became visible. Called by the
 * server's generator thread only.
 */
final class ProbeFlows implements LongFunction<Flow> {

    static final String NAMESPACE = "bench-probe";
    static final int EDGES = 4;
    static final int FIRST_PORT = 9000;

    private final SyntheticCluster cluster = new SyntheticCluster(42);
    private final ProbeLedger ledger;
    private final long intervalNanos;
    private long nextProbeNanos = System.nanoTime();
    private long probes;

    ProbeFlows(ProbeLedger ledger, long probesPerSecond) {
        this.ledger = ledger;
        this.intervalNanos = 1_000_000_000L / probesPerSecond;
    }

    @Override
    public Flow apply(long timeUnixNanos) {
        long now = System.nanoTime();
        if (now - nextProbeNanos < 0) {
            return request(timeUnixNanos);
        }
        nextProbeNanos = now + intervalNanos;
        int edge = (int) (probes++ % EDGES);
        ledger.emitted(edge, timeUnixNanos / 1_000_000L, now);
        return probe(edge, timeUnixNanos);
    }

    /**
     * The synthetic cluster's next flow that is not a reply: the agent leaves replies out by default, and a
     * reply only adds figures to its request's edge, so every flow emitted here counts once.
     */
    private Flow request(long timeUnixNanos) {
        Flow flow = cluster.next(timeUnixNanos);
        while (flow.hasIsReply() && flow.getIsReply().getValue()) {
            flow = cluster.next(timeUnixNanos);
        }
        return flow;
    }

    private Flow probe(int edge, long timeUnixNanos) {
        Endpoint.Builder client = Endpoint.newBuilder().setNamespace(NAMESPACE).setPodName("probe-client-0").setIdentity(30_000)
                .addWorkloads(Workload.newBuilder().setKind("Deployment").setName("probe-client"));
        Endpoint.Builder server = Endpoint.newBuilder().setNamespace(NAMESPACE).setPodName("probe-server-" + edge + "-0")
                .setIdentity(30_001 + edge).addWorkloads(Workload.newBuilder().setKind("StatefulSet").setName("probe-server-" + edge));
        return Flow.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(timeUnixNanos / 1_000_000_000L).setNanos((int) (timeUnixNanos % 1_000_000_000L)))
                .setUuid("probe-" + probes)
                .setVerdict(Verdict.FORWARDED)
                .setType(FlowType.L3_L4)
                .setTrafficDirection(TrafficDirection.EGRESS)
                .setIsReply(BoolValue.of(false))
                .setNodeName("bench-node")
                .setSource(client)
                .setDestination(server)
                .setIP(IP.newBuilder().setSource("10.9.0.1").setDestination("10.9.1." + (edge + 1)).setIpVersion(IPVersion.IPv4))
                .setL4(Layer4.newBuilder().setTCP(TCP.newBuilder().setSourcePort(40_000).setDestinationPort(FIRST_PORT + edge)
                        .setFlags(TCPFlags.newBuilder().setACK(true))))
                .build();
    }
}
