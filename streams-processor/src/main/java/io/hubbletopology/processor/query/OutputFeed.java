package io.hubbletopology.processor.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;

/**
 * The processor's changes for the live clients: the provisional edge states (one window of one edge, as on the
 * edge updates topic) and link states that every processor instance publishes to the live topic every
 * {@code processor.live_interval}, read as typed records. A follower reads every partition from the end, without
 * a group, so every API instance sees every instance's changes: the whole cluster. The states are not held back
 * until a commit (the output topics are), so they may run ahead of the committed figures and, after a crash,
 * be corrected downwards (docs/topics.md, "the live topic").
 *
 * <pre>{@code
 * TopicFollower follower = processor.queryService().outputs().follow("live-feed", feed::edge, feed::link);
 * ... follower.following() ...
 * follower.close();
 * }</pre>
 *
 * @param consumerProperties the Kafka client settings (bootstrap servers included)
 * @param live               the live topic
 */
public record OutputFeed(Map<String, Object> consumerProperties, String live) {

    /** The header naming a live record's schema ({@link EdgeUpdate#SCHEMA} or {@link LinkState#SCHEMA}). */
    public static final String SCHEMA_HEADER = "schema";

    public OutputFeed {
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /**
     * Starts following the live topic on a thread of that name. A record that is not an edge or link state costs
     * that record only (counted and logged once by the follower); a tombstone is skipped.
     */
    public TopicFollower follow(String name, Consumer<EdgeUpdate> edges, Consumer<LinkState> links) {
        TopicFollower follower = new TopicFollower(consumerProperties, List.of(live), record -> deliver(record, edges, links));
        follower.start(name);
        return follower;
    }

    private void deliver(ConsumerRecord<String, byte[]> record, Consumer<EdgeUpdate> edges, Consumer<LinkState> links) {
        if (record.value() == null) {
            return;
        }
        Header schema = record.headers().lastHeader(SCHEMA_HEADER);
        if (schema == null) {
            throw new IllegalArgumentException("a record without its " + SCHEMA_HEADER + " header");
        }
        String type = new String(schema.value(), StandardCharsets.UTF_8);
        try {
            if (type.equals(EdgeUpdate.SCHEMA)) {
                edges.accept(OutputJson.MAPPER.readValue(record.value(), EdgeUpdate.class));
            } else if (type.equals(LinkState.SCHEMA)) {
                links.accept(OutputJson.MAPPER.readValue(record.value(), LinkState.class));
            } else {
                throw new IllegalArgumentException("a record of unknown schema " + type);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a record of " + record.topic() + ": " + e.getMessage(), e);
        }
    }
}
