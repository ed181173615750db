package io.hubbletopology.processor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;

import io.hubbletopology.processor.errors.StoreUnavailableException;


/**
 * How many partitions a topic has, as the brokers say, remembered for a while: a merged answer compares what
 * answered against this count, so it must come from Kafka, not from which instances happen to be known.
 * Partitions can only be added to a topic, and the processor would rebalance then too; a minute of memory is
 * short enough.
 */
final class PartitionCounts implements AutoCloseable {

    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private record Known(int partitions, long at) {
    }

    private final Supplier<Admin> admins;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private volatile Admin admin;

    PartitionCounts(Supplier<Admin> admins) {
        this.admins = admins;
    }

    int of(String topic) {
        Known k = known.get(topic);
        long now = System.nanoTime();
        if (k != null && now - k.at() < REMEMBER_NANOS) {
            return k.partitions();
        }
        try {
            TopicDescription description = admin().describeTopics(List.of(topic),
                            new DescribeTopicsOptions().timeoutMs((int) ASK_TIMEOUT.toMillis()))
                    .allTopicNames().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            int partitions = description.partitions().size();
            known.put(topic, new Known(partitions, now));
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(topic, "interrupted while asking Kafka for its partitions");
        } catch (Exception e) {
            if (k != null) {
                // Kafka is away for a moment: the count it gave before still holds (partitions are never removed).
                return k.partitions();
            }
            throw new StoreUnavailableException(topic, "Kafka did not say how many partitions it has: " + e.getMessage());
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = admins.get();
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
