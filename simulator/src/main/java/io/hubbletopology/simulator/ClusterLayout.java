package io.hubbletopology.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a simulated cluster is made of: its nodes, its pods (each on a node), and the conversations between its
 * workloads and the peers outside them. Built once; {@link SyntheticCluster} draws flows from it.
 *
 * @param visitsEveryConversation whether every other flow takes the conversations in turn (so that each edge of a
 *                                large cluster shows within two flows per conversation) rather than all by weight
 */
record ClusterLayout(List<String> nodes, List<SimulatedPod> pods, List<Conversation> conversations,
                     boolean visitsEveryConversation) {

    ClusterLayout {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        conversations = List.copyOf(conversations);
    }

    /** Places pods on nodes with Kubernetes-like names and addresses; names draw on the cluster's random. */
    static final class Builder {

        private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

        private final List<String> nodes;
        private final SplittableRandom random;
        private final List<SimulatedPod> pods = new ArrayList<>();
        private final List<Conversation> conversations = new ArrayList<>();
        private int nextIp = 10;
        private int nextIdentity = 10_000;

        Builder(List<String> nodes, SplittableRandom random) {
            this.nodes = List.copyOf(nodes);
            this.random = random;
        }

        /** A workload's replicas, spread over the nodes in turn; its pods share one security identity. */
        Builder workload(String namespace, String kind, String name, int replicas) {
            int identity = nextIdentity++;
            for (int i = 0; i < replicas; i++) {
                add(namespace, kind, name, identity, nodes.get((pods.size() + i) % nodes.size()), i);
            }
            return this;
        }

        /** A DaemonSet: one pod on every node. */
        Builder daemonSet(String namespace, String name) {
            int identity = nextIdentity++;
            for (String node : nodes) {
                add(namespace, "DaemonSet", name, identity, node, 0);
            }
            return this;
        }

        Builder talk(Conversation conversation) {
            conversations.add(conversation);
            return this;
        }

        ClusterLayout build(boolean visitsEveryConversation) {
            return new ClusterLayout(nodes, pods, conversations, visitsEveryConversation);
        }

        private void add(String namespace, String kind, String name, int identity, String node, int ordinal) {
            String podName = switch (kind) {
                case "StatefulSet" -> name + "-" + ordinal;
                case "DaemonSet" -> name + "-" + suffix(5);
                // A CronJob's Job is named after its scheduled time in minutes since the epoch.
                case "CronJob" -> name + "-" + (29_000_000 + random.nextInt(1_000_000)) + "-" + suffix(5);
                default -> name + "-" + templateHash(name) + "-" + suffix(5);
            };
            int ip = nextIp++;
            pods.add(new SimulatedPod(namespace, podName, kind, name, name,
                    "10." + (ip / 62_500) + "." + (ip / 250 % 250) + "." + (ip % 250 + 1), identity, node));
        }

        private static String templateHash(String name) {
            // A ReplicaSet's pod-template hash looks like 7d4b9c5f8 (9 to 10 characters, letters and digits).
            return Integer.toHexString((name.hashCode() & 0xfffffff) | 0x1000000).substring(0, 7) + "b9";
        }

        private String suffix(int length) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < length; i++) {
                s.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
            }
            return s.toString();
        }
    }
}
