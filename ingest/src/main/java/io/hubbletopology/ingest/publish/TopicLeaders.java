package io.hubbletopology.ingest.publish;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Waits until every partition of some topics has a leader the broker knows of. Producing to a topic created
 * a moment ago can otherwise meet NOT_LEADER on the first batch, and an idempotent producer that retries that
 * batch after later ones were written gets OUT_OF_ORDER_SEQUENCE forever (seen with Kafka 4.3 here).
 */
public final class TopicLeaders {

    private TopicLeaders() {
    }

    /** @return true once every partition has a leader, false when the timeout passed first */
    public static boolean await(Admin admin, Collection<String> topics, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
                boolean led = described.values().stream()
                        .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (led) {
                    return true;
                }
            } catch (ExecutionException | TimeoutException e) {
                // Not known yet, or Kafka busy: ask again.
            }
            Thread.sleep(100);
        }
        return false;
    }
}
