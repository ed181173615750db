package io.hubbletopology.topics;

/**
 * How many copies of each partition to keep and how many must acknowledge a write ({@code acks=all}).
 * Three replicas with {@code min.insync.replicas=2} survive one broker lost without refusing writes and
 * without a write acknowledged by a single copy; below three brokers every broker holds a copy and one suffices.
 *
 * <pre>{@code
 * ReplicationPlan plan = ReplicationPlan.forBrokers(3);   // 3 replicas, min.insync.replicas=2
 * }</pre>
 *
 * @param replicationFactor  replicas of each partition
 * @param minInsyncReplicas  replicas that must have a record before {@code acks=all} acknowledges it
 */
public record ReplicationPlan(short replicationFactor, int minInsyncReplicas) {

    /** The value of a {@code kafka.replication_factor} of {@code auto}: decided by {@link #forBrokers}. */
    public static final short BY_CLUSTER_SIZE = 0;

    /** Parses a {@code kafka.replication_factor}: {@code auto} ({@link #BY_CLUSTER_SIZE}) or 1..32767. */
    public static int parseFactor(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("auto")) {
            return BY_CLUSTER_SIZE;
        }
        try {
            int factor = Integer.parseInt(v);
            if (factor >= 1 && factor <= Short.MAX_VALUE) {
                return factor;
            }
        } catch (NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new IllegalArgumentException("must be auto or a whole number within 1.." + Short.MAX_VALUE + ", was '" + value + "'");
    }

    public ReplicationPlan {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, was " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas must be within 1.." + replicationFactor
                    + ", was " + minInsyncReplicas);
        }
    }

    /** The default for a cluster of {@code brokers}: 3 and 2 from three brokers on, else every broker and 1. */
    public static ReplicationPlan forBrokers(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster has at least one broker, was " + brokers);
        }
        return brokers >= 3 ? new ReplicationPlan((short) 3, 2) : new ReplicationPlan((short) brokers, 1);
    }

    /** A replication factor chosen by the operator, with the min ISR the same rule gives it. */
    public static ReplicationPlan ofFactor(short replicationFactor) {
        return new ReplicationPlan(replicationFactor, replicationFactor >= 3 ? 2 : 1);
    }
}
