package io.hubbletopology.api.observer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.google.protobuf.UInt32Value;

import io.grpc.stub.StreamObserver;
import io.hubbletopology.hubble.observer.GetNamespacesResponse;
import io.hubbletopology.hubble.observer.GetNodesResponse;
import io.hubbletopology.hubble.observer.Namespace;
import io.hubbletopology.hubble.observer.Node;
import io.hubbletopology.hubble.observer.ServerStatusResponse;
import io.hubbletopology.hubble.observer.TLS;
import io.hubbletopology.hubble.relay.NodeState;

/**
 * The Observer answers about the cluster rather than its flows ({@code ServerStatus}, {@code GetNodes},
 * {@code GetNamespaces}), all from the {@link FlowCensus} of the flows topic: a node is connected while it sent a
 * flow within {@link #CONNECTED_WITHIN}, and every node that published within the topic's retention is listed.
 */
record CensusAnswers(FlowCensus census, boolean tls, Clock clock, Instant started) {

    /** A node that sent a flow this recently counts as connected. */
    static final Duration CONNECTED_WITHIN = Duration.ofMinutes(2);

    /** @param tls whether the Observer API is served over TLS, which each node's answer says as Relay's do */
    CensusAnswers(FlowCensus census, boolean tls, Clock clock) {
        this(census, tls, clock, clock.instant());
    }

    void serverStatus(StreamObserver<ServerStatusResponse> responses) {
        Instant now = clock.instant();
        List<String> unavailable = new ArrayList<>();
        int connected = 0;
        for (Map.Entry<String, FlowCensus.NodeTally> e : census.nodes().entrySet()) {
            if (connected(e.getValue(), now)) {
                connected++;
            } else {
                unavailable.add(e.getKey());
            }
        }
        Collections.sort(unavailable);
        responses.onNext(ServerStatusResponse.newBuilder()
                .setNumFlows(census.held())
                // The topic has no ring to fill: it holds what its retention keeps, so "max" is what it holds.
                .setMaxFlows(census.held())
                .setSeenFlows(census.appended())
                .setUptimeNs(Duration.between(started, now).toNanos())
                .setNumConnectedNodes(UInt32Value.of(connected))
                .setNumUnavailableNodes(UInt32Value.of(unavailable.size()))
                .setFlowsRate(census.flowsPerSecond())
                .addAllUnavailableNodes(unavailable)
                .setVersion("hubble-topology" + (census.caughtUp() ? "" : " (still reading the history: node and namespace lists incomplete)"))
                .build());
        responses.onCompleted();
    }

    void getNodes(StreamObserver<GetNodesResponse> responses) {
        Instant now = clock.instant();
        GetNodesResponse.Builder out = GetNodesResponse.newBuilder();
        census.nodes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.addNodes(Node.newBuilder()
                .setName(e.getKey())
                .setState(connected(e.getValue(), now) ? NodeState.NODE_CONNECTED : NodeState.NODE_UNAVAILABLE)
                .setNumFlows(e.getValue().flows())
                .setSeenFlows(e.getValue().flows())
                .setTls(TLS.newBuilder().setEnabled(tls))));
        responses.onNext(out.build());
        responses.onCompleted();
    }

    void getNamespaces(StreamObserver<GetNamespacesResponse> responses) {
        GetNamespacesResponse.Builder out = GetNamespacesResponse.newBuilder();
        for (String pair : census.namespaces()) {
            int slash = pair.indexOf('/');
            out.addNamespaces(Namespace.newBuilder().setCluster(pair.substring(0, slash)).setNamespace(pair.substring(slash + 1)));
        }
        responses.onNext(out.build());
        responses.onCompleted();
    }

    private static boolean connected(FlowCensus.NodeTally tally, Instant now) {
        return !tally.lastFlow().isBefore(now.minus(CONNECTED_WITHIN));
    }
}
