/**
 * The per-node ingest agent: {@link io.hubbletopology.ingest.IngestAgent} reads Hubble's {@code GetFlows}
 * ({@code hubble}), this node's interfaces ({@code sysfs}) or a replayed file ({@code replay}) and publishes
 * to Kafka ({@code publish}), with health and metrics on a small HTTP port ({@code health}).
 *
 * <h2>Topics</h2>
 * <ul>
 *   <li><b>flows</b> (default {@code hubble.flows}): protobuf {@code FlowRecord}. Key: the topology edge the flow
 *       counts towards, {@code <source node> -> <destination node> <protocol>/<destination port>}
 *       ({@link io.hubbletopology.graph.EdgeKey}). Every flow of one edge lands in one partition, so the processor
 *       aggregates per edge and window straight from the topic, without a repartition topic (which would write
 *       and read every flow a second time). The price: a very hot edge weighs on one partition; with thousands of
 *       edges per cluster that spreads well. Record timestamp: when Hubble saw the flow.</li>
 *   <li><b>links</b> (default {@code hubble.links}, compacted): protobuf {@code LinkStateRecord}, key
 *       {@code <node>/<interface>}, so compaction keeps each interface's latest state; the periodic snapshot
 *       keeps every interface in the topic, a removed interface is a record with {@code removed=true}.</li>
 *   <li><b>lost events</b> (default {@code hubble.lost-events}): protobuf {@code LostEventsRecord}, key: the node
 *       whose Hubble reported the loss, so a gap in Hubble's own buffers is visible downstream.</li>
 * </ul>
 * Topics are created at start when missing ({@code kafka.partitions}, {@code kafka.replication_factor});
 * existing ones are used as they are. Names: {@code topics.flows}, {@code .links}, {@code .lost_events}, as for every role (the older {@code kafka.topics.*} still work).
 *
 * <h2>Delivery</h2>
 * The producer is idempotent with acks=all, lz4 compression and 128 KiB batches; it retries for as long as Kafka
 * is away. Memory is bounded by {@code kafka.buffer_memory} (16 MiB): when it is full, or before the topics
 * are ready, sending blocks, which stops the sources (gRPC flow control holds Hubble; sysfs and replay wait).
 * A record Kafka refuses for good, or still unsent when the agent stops, is counted in
 * {@code hubble_topology_ingest_records_dropped_total} and logged.
 */
package io.hubbletopology.ingest;
