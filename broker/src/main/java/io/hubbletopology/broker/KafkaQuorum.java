package io.hubbletopology.broker;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.hubbletopology.topics.ReplicationPlan;

/**
 * The layout of an N-node KRaft cluster on one host: node {@code i} (id {@code i + 1}) takes client port
 * {@code basePort + i} and controller port {@code basePort + nodes + i}, so a cluster of three from 9092 uses
 * 9092-9094 for clients and 9095-9097 for the quorum. Fixed ports keep the voter set the same across restarts.
 *
 * @param host     the address every node listens on and advertises
 * @param basePort the client port of the first node
 * @param nodes    how many nodes, each both broker and controller
 */
public record KafkaQuorum(String host, int basePort, int nodes) {

    /** One member: its node id and ports. */
    public record Member(int nodeId, int port, int controllerPort) {
    }

    public List<Member> members() {
        return IntStream.range(0, nodes).mapToObj(i -> new Member(i + 1, basePort + i, basePort + nodes + i)).toList();
    }

    public Member member(int nodeId) {
        if (nodeId < 1 || nodeId > nodes) {
            throw new IllegalArgumentException("node id must be within 1.." + nodes + ", was " + nodeId);
        }
        return members().get(nodeId - 1);
    }

    /** {@code controller.quorum.voters}: id@host:controllerPort of every node. */
    public String voters() {
        return members().stream().map(m -> m.nodeId() + "@" + host + ":" + m.controllerPort()).collect(Collectors.joining(","));
    }

    /** Every node's client address, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return members().stream().map(m -> host + ":" + m.port()).collect(Collectors.joining(","));
    }

    /** Replicas and min ISR of the internal topics (offsets, transactions) and the broker's defaults. */
    public ReplicationPlan replication() {
        return ReplicationPlan.forBrokers(nodes);
    }
}
