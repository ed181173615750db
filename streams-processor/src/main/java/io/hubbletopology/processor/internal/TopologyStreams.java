package io.hubbletopology.processor.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import io.hubbletopology.processor.ProcessingCounters;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;
import io.hubbletopology.processor.serde.JsonSerde;
import io.hubbletopology.processor.serde.ProtoSerde;
import io.hubbletopology.records.FlowRecord;

/**
 * The Kafka Streams topology.
 * <ul>
 *   <li>Flows (keyed by their edge by the ingest, so edges aggregate without repartitioning; record time =
 *       Hubble time, so windows are event-time windows) are checked ({@link FlowCheck}), late ones counted
 *       and left out ({@link LateFlowFilter}), and summed per edge and tumbling window into the
 *       {@value #EDGES_STORE} store; every change goes to the edge updates topic, at most once per commit
 *       (Kafka Streams' cache). Right before the aggregation, the live view ({@link LiveEdges}) keeps the edges'
 *       provisional figures and sends those that changed every live interval to the live topic.</li>
 *   <li>The same flows name the workloads they came from and went to ({@link WorkloadSightings}); the
 *       sightings, repartitioned by workload id, build the {@value #WORKLOADS_STORE} inventory; every change
 *       goes to the workload changes topic.</li>
 *   <li>Link states become the latest state per interface with rates ({@link LinkTracker}) in the
 *       {@value #LINKS_STORE} store; every state goes to the link changes topic, and the latest per link every
 *       live interval to the live topic ({@link LiveLinks}).</li>
 * </ul>
 */
public final class TopologyStreams {

    public static final String EDGES_STORE = "edges";
    public static final String LINKS_STORE = "links";
    public static final String WORKLOADS_STORE = "workloads";
    /** Names the repartition topic of workload sightings: {@code <application id>-workload-sightings-repartition}. */
    public static final String WORKLOAD_SIGHTINGS = "workload-sightings";
    private static final String LIVE_EDGES = "live-edges";

    private TopologyStreams() {
    }

    /** The topology without a live view (its provisional states are discarded): for tests of stores and outputs. */
    public static Topology build(ProcessorConfig config, ProcessingCounters counters) {
        return build(config, counters, LiveSink.DISCARD);
    }

    /** The topology whose live views ({@link LiveEdges}, {@link LiveLinks}) hand their states to {@code live}. */
    public static Topology build(ProcessorConfig config, ProcessingCounters counters, LiveSink live) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FlowRecord> flows = builder
                .stream(config.topics().flows(), Consumed.with(Serdes.String(), ProtoSerde.flows()).withName("flows"))
                .processValues(FlowCheck::new, Named.as("flow-check"));
        edges(config, counters, live, flows);
        workloads(config, flows);
        links(config, live, builder);
        Topology topology = builder.build();
        // The live view runs before the aggregation that adds the store, so it is connected to the store once built.
        topology.connectProcessorAndStateStores(LIVE_EDGES, EDGES_STORE);
        return topology;
    }

    private static void edges(ProcessorConfig config, ProcessingCounters counters, LiveSink live, KStream<String, FlowRecord> flows) {
        flows.processValues(() -> new LateFlowFilter(config.windowSize(), config.windowGrace(), counters), Named.as("late-flows"))
                // Before the aggregation: sees what it counts, and reads the store before the flow is added.
                .processValues(() -> new LiveEdges(config.windowSize(), config.windowGrace(), config.liveInterval(), live),
                        Named.as(LIVE_EDGES))
                .groupByKey(Grouped.with(Serdes.String(), ProtoSerde.flows()))
                .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.windowGrace()))
                .aggregate(EdgeFigures::empty, (edge, flow, figures) -> EdgeFigures.add(figures, flow), Named.as("edge-figures"),
                        Materialized.<String, EdgeTally, WindowStore<Bytes, byte[]>>as(EDGES_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(EdgeTally.serde())
                                .withRetention(config.windowRetention()))
                .toStream(Named.as("edge-changes"))
                .filter((window, figures) -> figures != null, Named.as("edge-present"))
                .map((window, figures) -> {
                    EdgeUpdate update = EdgeUpdate.of(window.window().startTime(), window.window().endTime(),
                            EdgeFigures.stats(figures));
                    return KeyValue.pair(EdgeUpdate.topicKey(window.key(), window.window().start()), update);
                }, Named.as("edge-updates"))
                .to(config.topics().edgeUpdates(), Produced.with(Serdes.String(), new JsonSerde<>(EdgeUpdate.class))
                        .withStreamPartitioner(new ByEdge())
                        .withName("edge-updates-out"));
    }

    private static void workloads(ProcessorConfig config, KStream<String, FlowRecord> flows) {
        long retentionMs = config.windowRetention().toMillis();
        Serde<TrackedWorkload> tracked = new JsonSerde<>(TrackedWorkload.class);
        flows.process(() -> new WorkloadSightings(config.windowSize().toMillis()), Named.as("workload-sightings"))
                .groupByKey(Grouped.with(WORKLOAD_SIGHTINGS, Serdes.String(), new JsonSerde<>(WorkloadSighting.class)))
                .aggregate(TrackedWorkload::empty, (id, sighting, workload) -> workload.add(sighting, retentionMs),
                        Named.as("workload-inventory"),
                        Materialized.<String, TrackedWorkload, KeyValueStore<Bytes, byte[]>>as(WORKLOADS_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(tracked))
                .toStream(Named.as("workload-changes"))
                .filter((id, workload) -> workload != null && workload.workload() != null, Named.as("workload-present"))
                .mapValues(TrackedWorkload::workload, Named.as("workload-view"))
                .to(config.topics().workloadChanges(), Produced.with(Serdes.String(), new JsonSerde<>(Workload.class))
                        .withName("workload-changes-out"));
    }

    private static void links(ProcessorConfig config, LiveSink live, StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LINKS_STORE), Serdes.String(),
                new JsonSerde<>(TrackedLink.class)));
        builder.stream(config.topics().links(), Consumed.with(Serdes.String(), ProtoSerde.links()).withName("links"))
                .process(() -> new LinkTracker(LINKS_STORE), Named.as("link-tracker"), LINKS_STORE)
                .processValues(() -> new LiveLinks(config.liveInterval(), live), Named.as("live-links"))
                .to(config.topics().linkChanges(), Produced.with(Serdes.String(), new JsonSerde<>(LinkState.class))
                        .withName("link-changes-out"));
    }

    /**
     * Partitions edge updates by their edge (the key up to {@code @}) the way Kafka's default partitioner
     * partitions a key, so every window of one edge lands in one partition, in order.
     */
    static final class ByEdge implements StreamPartitioner<String, EdgeUpdate> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, EdgeUpdate value, int numPartitions) {
            int at = key.lastIndexOf('@');
            byte[] edge = (at < 0 ? key : key.substring(0, at)).getBytes(StandardCharsets.UTF_8);
            return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(edge)) % numPartitions));
        }
    }
}
