package io.hubbletopology.processor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import io.hubbletopology.processor.internal.TopologyStreams;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.EdgeWindow;
import io.hubbletopology.processor.model.LinkState;

/**
 * Questions about the topology, answered from this instance's state stores with interactive queries v2.
 * The query API asks these and never touches Kafka Streams itself.
 *
 * <pre>{@code
 * Map<String, EdgeStats> edges = processor.queries().topology(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());
 * }</pre>
 */
public final class TopologyQueries {

    private final KafkaStreams streams;

    TopologyQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Every edge's figures per window, for windows starting within {@code [from, to]}. */
    public List<EdgeWindow> edgeWindows(Instant from, Instant to) {
        // The DSL's window stores are timestamped: IQv2 hands back ValueAndTimestamp values.
        StateQueryRequest<KeyValueIterator<Windowed<String>, ValueAndTimestamp<EdgeStats>>> request = StateQueryRequest
                .inStore(TopologyStreams.EDGES_STORE)
                .withQuery(WindowRangeQuery.<String, ValueAndTimestamp<EdgeStats>>withWindowStartRange(from, to));
        var result = streams.query(request);
        List<EdgeWindow> windows = new ArrayList<>();
        for (var partition : result.getPartitionResults().values()) {
            if (!partition.isSuccess()) {
                throw new StoreUnavailableException(TopologyStreams.EDGES_STORE, partition.getFailureMessage());
            }
            try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<EdgeStats>> it = partition.getResult()) {
                while (it.hasNext()) {
                    KeyValue<Windowed<String>, ValueAndTimestamp<EdgeStats>> kv = it.next();
                    windows.add(new EdgeWindow(kv.key.window().start(), kv.key.window().end(), kv.value.value()));
                }
            }
        }
        return windows;
    }

    /** Each edge's figures summed over the windows starting within {@code [from, to]}, keyed by edge. */
    public Map<String, EdgeStats> topology(Instant from, Instant to) {
        Map<String, EdgeStats> edges = new LinkedHashMap<>();
        for (EdgeWindow w : edgeWindows(from, to)) {
            EdgeStats s = w.stats();
            String key = s.src() + " -> " + s.dst() + " " + s.protocol() + "/" + s.port();
            edges.merge(key, s, EdgeStats::merge);
        }
        return edges;
    }

    /** The latest state of every interface this instance holds. */
    public List<LinkState> links() {
        StateQueryRequest<KeyValueIterator<String, LinkState>> request = StateQueryRequest
                .inStore(TopologyStreams.LINKS_STORE)
                .withQuery(RangeQuery.<String, LinkState>withNoBounds());
        StateQueryResult<KeyValueIterator<String, LinkState>> result = streams.query(request);
        List<LinkState> links = new ArrayList<>();
        for (QueryResult<KeyValueIterator<String, LinkState>> partition : result.getPartitionResults().values()) {
            if (!partition.isSuccess()) {
                throw new StoreUnavailableException(TopologyStreams.LINKS_STORE, partition.getFailureMessage());
            }
            try (KeyValueIterator<String, LinkState> it = partition.getResult()) {
                it.forEachRemaining(kv -> links.add(kv.value));
            }
        }
        return links;
    }

    /** A store cannot be queried right now (the instance is starting or rebalancing). */
    public static final class StoreUnavailableException extends RuntimeException {
        public StoreUnavailableException(String store, String reason) {
            super("store " + store + " is not queryable: " + reason);
        }
    }
}
