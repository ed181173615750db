package io.hubbletopology.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a role needs when they are missing. An existing topic is used as it is: operators may
 * have created it with their own partitions and settings, and we never alter it. Topics made by
 * {@link #stream}, {@link #compacted} and {@link #topic} get the {@link ReplicationPlan} of the cluster:
 * with {@link ReplicationPlan#BY_CLUSTER_SIZE} 3 replicas and {@code min.insync.replicas=2} from three brokers on.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;

    /**
     * @param replicationFactor replicas of the topics created, or {@link ReplicationPlan#BY_CLUSTER_SIZE} to size
     *                          them to the cluster the admin client reaches
     */
    public TopicProvisioner(Admin admin, int partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** A topic that keeps everything for its retention. */
    public NewTopic stream(String name, long retentionMs) {
        return topic(name, Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retentionMs)));
    }

    /** A topic that keeps the latest record per key. */
    public NewTopic compacted(String name) {
        return topic(name, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** A topic with these settings; its replication is decided by {@link #ensure}. */
    public NewTopic topic(String name, Map<String, String> configs) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }

    /**
     * The replication of the topics this provisioner creates: the configured factor, or the default for the
     * number of brokers in the cluster.
     *
     * @throws TopicProvisioningException when the cluster cannot be asked within the timeout
     */
    public ReplicationPlan plan(long timeoutMs) {
        if (replicationFactor != ReplicationPlan.BY_CLUSTER_SIZE) {
            return ReplicationPlan.ofFactor(replicationFactor);
        }
        try {
            return ReplicationPlan.forBrokers(admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicProvisioningException("interrupted while asking the cluster for its brokers", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TopicProvisioningException("cannot ask the cluster for its brokers: " + cause, cause);
        }
    }

    /**
     * Creates the topics that do not exist yet and waits until the broker confirms.
     *
     * @throws TopicProvisioningException when the broker cannot be reached or refuses, within the timeout
     */
    public void ensure(List<NewTopic> topics, long timeoutMs) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            ReplicationPlan plan = plan(timeoutMs);
            missing = missing.stream().map(t -> replicated(t, plan)).toList();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    log.info("Created topic {} ({} replicas, min.insync.replicas={})", entry.getKey(),
                            plan.replicationFactor(), plan.minInsyncReplicas());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(missing, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicProvisioningException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TopicProvisioningException("cannot create topics " + names(topics) + ": " + cause, cause);
        }
    }

    /** A topic without a replication factor of its own gets the plan's, and its min ISR unless it sets one. */
    private static NewTopic replicated(NewTopic topic, ReplicationPlan plan) {
        if (topic.replicationFactor() != -1 || topic.replicasAssignments() != null) {
            return topic;
        }
        Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
        configs.putIfAbsent(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(plan.minInsyncReplicas()));
        return new NewTopic(topic.name(), Optional.of(topic.numPartitions()), Optional.of(plan.replicationFactor()))
                .configs(configs);
    }

    /**
     * A created topic is usable only once every partition has a leader: producing to it earlier sees no leader
     * and, with idempotence, can retry until its delivery timeout. Waits for that, within the deadline.
     */
    private void awaitLeaders(List<NewTopic> topics, long deadlineNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = names(topics);
        while (true) {
            boolean ready = true;
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            List<TopicPartition> partitions = new ArrayList<>();
            try {
                for (var description : admin.describeTopics(names).allTopicNames().get(left, TimeUnit.MILLISECONDS).values()) {
                    ready &= description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                    description.partitions().forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition())));
                }
                ready = ready && leadersServe(partitions, left);
            } catch (ExecutionException e) {
                // Just created: the broker may not know the topic in its metadata yet.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new TimeoutException("partitions of " + names + " have no leader yet");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Whether each partition's leader already serves it. The metadata names a leader before that broker has made
     * the partition its own; a produce request in between is refused as sent to a non-leader, and an idempotent
     * producer whose later batches were taken meanwhile then retries the refused one out of sequence until its
     * delivery timeout (seen in HubbleResumeIT). Describing the partitions' producers is answered by the leader's
     * replica manager itself, so it succeeds only once produce would. A broker that does not let us ask (no
     * permission, an older version) is not waited for: the leaders above are all we can check there.
     */
    private boolean leadersServe(List<TopicPartition> partitions, long timeoutMs) throws InterruptedException, TimeoutException {
        try {
            admin.describeProducers(partitions).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return !(cause instanceof NotLeaderOrFollowerException || cause instanceof UnknownTopicOrPartitionException
                    || cause instanceof LeaderNotAvailableException);
        }
    }

    private static List<String> names(List<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).toList();
    }

    /** The broker could not be reached, or refused to create a topic. */
    public static final class TopicProvisioningException extends RuntimeException {
        public TopicProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
