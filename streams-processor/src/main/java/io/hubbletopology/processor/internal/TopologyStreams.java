package io.hubbletopology.processor.internal;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.model.EdgeStats;
import io.hubbletopology.processor.model.LinkState;
import io.hubbletopology.processor.serde.JsonSerde;
import io.hubbletopology.processor.serde.ProtoSerde;
import io.hubbletopology.records.LinkStateRecord;

/**
 * The Kafka Streams topology: flows to windowed edge figures, link states to the latest state per interface.
 * Flows arrive keyed by their edge (the ingest computes the key), so edges aggregate without repartitioning;
 * each flow's record timestamp is its Hubble time, so windows are event-time windows.
 */
public final class TopologyStreams {

    public static final String EDGES_STORE = "edges";
    public static final String LINKS_STORE = "links";

    private TopologyStreams() {
    }

    public static Topology build(ProcessorConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        JsonSerde<EdgeStats> edgeSerde = new JsonSerde<>(EdgeStats.class);

        builder.stream(config.topics().flows(), Consumed.with(Serdes.String(), ProtoSerde.flows()).withName("flows"))
                .groupByKey(Grouped.with(Serdes.String(), ProtoSerde.flows()))
                .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.windowGrace()))
                .aggregate(EdgeStats::empty, (edge, flow, stats) -> stats.add(flow),
                        Materialized.<String, EdgeStats, WindowStore<Bytes, byte[]>>as(EDGES_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(edgeSerde)
                                .withRetention(config.windowRetention()));

        builder.stream(config.topics().links(), Consumed.with(Serdes.String(), ProtoSerde.links()).withName("links"))
                // A removed interface becomes a tombstone: the table forgets it.
                .mapValues((LinkStateRecord link) -> link.getRemoved() ? null : LinkState.of(link))
                .toTable(Materialized.<String, LinkState, KeyValueStore<Bytes, byte[]>>as(LINKS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new JsonSerde<>(LinkState.class)));
        return builder.build();
    }

}
