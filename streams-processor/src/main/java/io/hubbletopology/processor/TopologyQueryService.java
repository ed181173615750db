package io.hubbletopology.processor;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import io.micrometer.core.instrument.MeterRegistry;

import io.hubbletopology.processor.errors.StoreUnavailableException;
import io.hubbletopology.processor.query.ClusterAnswers;
import io.hubbletopology.processor.query.FlowHistory;
import io.hubbletopology.processor.query.OutputFeed;
import io.hubbletopology.processor.query.Partitioned;
import io.hubbletopology.processor.query.PeerQuestion;
import io.hubbletopology.processor.query.Peers;

/**
 * The processor as the query API sees it, what {@code KafkaStreams} and its interactive queries are to the
 * processor: whether it can answer, whole-cluster answers that say how complete they are
 * ({@link #acrossCluster}), this instance's part of them for the other instances ({@link #localPart}), the
 * output feed ({@link #outputs}) and the flow history ({@link #flowHistory}). No Kafka Streams type crosses it.
 *
 * <pre>{@code
 * TopologyQueryService service = processor.queryService();
 * ClusterAnswers cluster = service.acrossCluster(peers);
 * Answer<List<EdgeStats>> edges = cluster.topology(from, to);   // partial() and missing() say what it lacks
 * }</pre>
 *
 * Answers throw {@link StoreUnavailableException} while the processor cannot answer (starting, rebalancing).
 */
public final class TopologyQueryService {

    private final TopologyProcessor processor;

    TopologyQueryService(TopologyProcessor processor) {
        this.processor = processor;
    }

    /** True once the processor runs: every task assigned and restored. */
    public boolean ready() {
        return processor.running();
    }

    /** The processor's state, as the probes report it (CREATED, REBALANCING, RUNNING, ...). */
    public String state() {
        return processor.state().name();
    }

    /** Publishes the processor's metrics to the API's registry, now or once the processor starts. */
    public void bindMetrics(MeterRegistry registry) {
        processor.bindMetrics(registry);
    }

    /** Whole-cluster answers, asking the other instances through {@code peers}. */
    public ClusterAnswers acrossCluster(Peers peers) {
        return new ClusterAnswers(processor.queries(), peers);
    }

    /**
     * This instance's part of an answer, as another instance asks for it: the partitions it is active for (for a
     * series, its copy, active or standby, of the edge's partition).
     */
    @SuppressWarnings("unchecked")
    public <T> Partitioned<T> localPart(PeerQuestion<T> question) {
        TopologyQueries local = processor.queries();
        local.requireReady();
        if (question instanceof PeerQuestion.Edges edges) {
            return (Partitioned<T>) local.topologyByPartition(edges.from(), edges.to(), TopologyQueries.Scope.ACTIVE);
        }
        if (question instanceof PeerQuestion.Links) {
            return (Partitioned<T>) local.linksByPartition(TopologyQueries.Scope.ACTIVE);
        }
        if (question instanceof PeerQuestion.Workloads) {
            return (Partitioned<T>) local.workloadsByPartition(TopologyQueries.Scope.ACTIVE);
        }
        PeerQuestion.Series series = (PeerQuestion.Series) question;
        return (Partitioned<T>) local.edgeSeries(series.key(), series.from(), series.to());
    }

    /** The edges' and links' live states, as every processor instance publishes them (the whole cluster's). */
    public OutputFeed outputs() {
        ProcessorConfig config = processor.config();
        return new OutputFeed(clientProperties(config), config.topics().live());
    }

    /** The raw flows, as long as the flows topic keeps them. */
    public FlowHistory flowHistory() {
        ProcessorConfig config = processor.config();
        return new FlowHistory(clientProperties(config), config.topics().flows());
    }

    private static Map<String, Object> clientProperties(ProcessorConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }
}
