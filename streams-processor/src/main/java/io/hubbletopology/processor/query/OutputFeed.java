package io.hubbletopology.processor.query;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;

/**
 * The processor's changes as they are published: every edge update and link change, read from the output topics
 * as typed records, for the live clients. Each follower reads every partition from the end, without a group, so
 * every API instance sees every change.
 *
 * <pre>{@code
 * TopicFollower follower = processor.queryService().outputs().follow("live-feed", feed::edge, feed::link);
 * ... follower.following() ...
 * follower.close();
 * }</pre>
 *
 * @param consumerProperties the Kafka client settings (bootstrap servers included)
 * @param edgeUpdates        the edge updates topic
 * @param linkChanges        the link changes topic
 */
public record OutputFeed(Map<String, Object> consumerProperties, String edgeUpdates, String linkChanges) {

    public OutputFeed {
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /**
     * Starts following both topics on a thread of that name. A record that is not an edge update or link change
     * costs that record only (counted and logged once by the follower); a tombstone is skipped.
     */
    public TopicFollower follow(String name, Consumer<EdgeUpdate> edges, Consumer<LinkState> links) {
        TopicFollower follower = new TopicFollower(consumerProperties, List.of(edgeUpdates, linkChanges),
                record -> deliver(record, edges, links));
        follower.start(name);
        return follower;
    }

    private void deliver(ConsumerRecord<String, byte[]> record, Consumer<EdgeUpdate> edges, Consumer<LinkState> links) {
        if (record.value() == null) {
            return;
        }
        try {
            if (record.topic().equals(edgeUpdates)) {
                edges.accept(OutputJson.MAPPER.readValue(record.value(), EdgeUpdate.class));
            } else {
                links.accept(OutputJson.MAPPER.readValue(record.value(), LinkState.class));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a record of " + record.topic() + ": " + e.getMessage(), e);
        }
    }
}
