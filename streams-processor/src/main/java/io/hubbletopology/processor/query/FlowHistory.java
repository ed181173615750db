package io.hubbletopology.processor.query;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where the raw flows are kept, as the processor reads them: the flows topic and the Kafka client settings to
 * read it with. What the flow searches and the live flow tail of the query API read (history as long as the
 * topic's retention).
 *
 * <pre>{@code
 * FlowHistory history = processor.queryService().flowHistory();
 * FlowSearch search = new FlowSearch(history.consumerProperties(), history.topic(), 4, 2_000);
 * }</pre>
 *
 * @param consumerProperties the Kafka client settings (bootstrap servers included)
 * @param topic              the flows topic
 */
public record FlowHistory(Map<String, Object> consumerProperties, String topic) {

    public FlowHistory {
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /** A follower of the flows topic from its end (not started): every later flow reaches the handler. */
    public TopicFollower tail(Consumer<ConsumerRecord<String, byte[]>> handler) {
        return new TopicFollower(consumerProperties, List.of(topic), handler);
    }
}
