package io.hubbletopology.processor.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedWindowStore;

import io.hubbletopology.processor.ProcessingCounters;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;
import io.hubbletopology.processor.serde.JsonSerde;
import io.hubbletopology.processor.serde.ProtoSerde;

/**
 * The Kafka Streams topology.
 * <ul>
 *   <li>Flows (keyed by their edge by the ingest, so edges aggregate without repartitioning; record time =
 *       Hubble time, so windows are event-time windows), read through their {@link FlowView}, are checked
 *       ({@link FlowCheck}), late ones counted and left out ({@link LateFlowFilter}), and summed per edge and
 *       tumbling window in memory ({@link EdgeWindows}); at each commit the changed windows go to the {@value #EDGES_STORE} store and
 *       the edge updates topic, once each, and every live interval the windows that changed go to the live
 *       topic as provisional states.</li>
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
    /** The in-memory store through which each task's commit flushes the pending edge figures ({@link CommitHook}). */
    static final String EDGE_COMMITS = "edge-commits";
    /** Names the repartition topic of workload sightings: {@code <application id>-workload-sightings-repartition}. */
    public static final String WORKLOAD_SIGHTINGS = "workload-sightings";

    private TopologyStreams() {
    }

    /** The topology without a live view (its provisional states are discarded): for tests of stores and outputs. */
    public static Topology build(ProcessorConfig config, ProcessingCounters counters) {
        return build(config, counters, LiveSink.DISCARD);
    }

    /** The topology whose live views ({@link EdgeWindows}, {@link LiveLinks}) hand their states to {@code live}. */
    public static Topology build(ProcessorConfig config, ProcessingCounters counters, LiveSink live) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FlowView> flows = builder
                .stream(config.topics().flows(), Consumed.with(Serdes.String(), FlowView.serde()).withName("flows"))
                .processValues(FlowCheck::new, Named.as("flow-check"));
        edges(config, counters, live, flows);
        workloads(config, flows);
        links(config, live, builder);
        return builder.build();
    }

    private static void edges(ProcessorConfig config, ProcessingCounters counters, LiveSink live, KStream<String, FlowView> flows) {
        // No record cache in front of the store: EdgeWindows is the cache, in object form, flushed at each commit.
        StoreBuilder<TimestampedWindowStore<String, EdgeTally>> store = Stores.timestampedWindowStoreBuilder(
                        Stores.persistentTimestampedWindowStore(EDGES_STORE, config.windowRetention(), config.windowSize(), false),
                        Serdes.String(), EdgeTally.serde())
                .withCachingDisabled();
        StoreBuilder<CommitHook> hook = CommitHook.builder(EDGE_COMMITS);
        ProcessorSupplier<String, FlowView, String, EdgeUpdate> figures = new ProcessorSupplier<>() {
            @Override
            public Processor<String, FlowView, String, EdgeUpdate> get() {
                return new EdgeWindows(config.windowSize(), config.windowGrace(),
                        new LateFlowFilter(config.windowSize(), config.windowGrace(), counters), EDGES_STORE, EDGE_COMMITS,
                        config.liveInterval(), live);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store, hook);
            }
        };
        flows.process(figures, Named.as("edge-figures"))
                .to(config.topics().edgeUpdates(), Produced.with(Serdes.String(), new JsonSerde<>(EdgeUpdate.class))
                        .withStreamPartitioner(new ByEdge())
                        .withName("edge-updates-out"));
    }

    private static void workloads(ProcessorConfig config, KStream<String, FlowView> flows) {
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
