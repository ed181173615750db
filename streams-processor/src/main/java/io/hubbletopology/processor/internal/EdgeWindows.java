package io.hubbletopology.processor.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.records.FlowRecord;

/**
 * Sums flows per edge and tumbling window in memory, as {@link EdgeTally} objects, and writes each changed
 * window to the {@value TopologyStreams#EDGES_STORE} store and the edge updates topic once per commit (from
 * the task's {@link CommitHook}), so a flow costs no store access, no serialisation and no forwarding.
 * <p>
 * Exactly as safe as the record cache it replaces: what is pending is written before the commit's offsets
 * (at-least-once) or inside its transaction (exactly-once); a task that ends without a commit loses only
 * pending work whose offsets were not committed either, and processes it again. The first flow of a window
 * in a commit interval reads the window's stored figures, so counts carry on across commits and restarts.
 * Memory is bounded: at {@value #MAX_PENDING} pending windows they are all written at once (more than one
 * update per edge window and commit, only then).
 */
final class EdgeWindows extends ContextualProcessor<String, FlowRecord, String, EdgeUpdate>
        implements CommitHook.Owner {

    static final int MAX_PENDING = 20_000;

    private final long sizeMs;
    private final LateFlowFilter late;
    private final String storeName;
    private final String hookName;
    private final Map<WindowedEdge, Pending> pending = new HashMap<>();
    private TimestampedWindowStore<String, EdgeTally> store;
    private InternalProcessorContext<String, EdgeUpdate> internal;
    private ProcessorNode<?, ?, ?, ?> node;

    private record WindowedEdge(String edge, long startMs) {
    }

    /** A window's figures since they were read from the store, and the last flow that changed them. */
    private static final class Pending {
        final EdgeTally tally;
        long timestampMs;
        RecordMetadata source;

        Pending(EdgeTally tally, long timestampMs) {
            this.tally = tally;
            this.timestampMs = timestampMs;
        }
    }

    EdgeWindows(long sizeMs, LateFlowFilter late, String storeName, String hookName) {
        this.sizeMs = sizeMs;
        this.late = late;
        this.storeName = storeName;
        this.hookName = hookName;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(ProcessorContext<String, EdgeUpdate> context) {
        super.init(context);
        // A task revived after a failure initialises its processors again: what was pending is processed again.
        pending.clear();
        store = context.getStateStore(storeName);
        // Forwarding from the commit needs the node that Kafka Streams sets while a processor runs; it is the
        // current node while processors are initialised, as for Kafka Streams' own cache flush listeners.
        internal = (InternalProcessorContext<String, EdgeUpdate>) context;
        node = internal.currentNode();
        CommitHook hook = context.getStateStore(hookName);
        hook.owner(this);
    }

    @Override
    public void process(Record<String, FlowRecord> record) {
        long time = record.timestamp();
        if (late.isLate(record.key(), time, context().currentStreamTimeMs())) {
            return;
        }
        WindowedEdge key = new WindowedEdge(record.key(), time - Math.floorMod(time, sizeMs));
        Pending p = pending.get(key);
        if (p == null) {
            if (pending.size() >= MAX_PENDING) {
                flush();
            }
            p = read(key);
            pending.put(key, p);
        }
        EdgeFigures.add(p.tally, record.value());
        p.timestampMs = Math.max(p.timestampMs, time);
        p.source = context().recordMetadata().orElse(null);
    }

    private Pending read(WindowedEdge key) {
        ValueAndTimestamp<EdgeTally> stored = store.fetch(key.edge(), key.startMs());
        return stored == null || stored.value() == null ? new Pending(EdgeFigures.empty(), Long.MIN_VALUE)
                : new Pending(stored.value(), stored.timestamp());
    }

    /** Writes every pending window to the store and the edge updates topic, each in its last flow's context. */
    @Override
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        ProcessorRecordContext previousContext = internal.recordContext();
        internal.setCurrentNode(node);
        try {
            for (Map.Entry<WindowedEdge, Pending> e : pending.entrySet()) {
                write(e.getKey(), e.getValue());
            }
        } finally {
            pending.clear();
            internal.setRecordContext(previousContext);
            internal.setCurrentNode(previousNode);
        }
    }

    private void write(WindowedEdge key, Pending p) {
        RecordMetadata source = p.source;
        // The store's changelog and position take topic, partition and offset from the record context.
        internal.setRecordContext(new ProcessorRecordContext(p.timestampMs, source == null ? -1 : source.offset(),
                source == null ? -1 : source.partition(), source == null ? null : source.topic(), new RecordHeaders()));
        store.put(key.edge(), ValueAndTimestamp.make(p.tally, p.timestampMs), key.startMs());
        EdgeUpdate update = EdgeUpdate.of(Instant.ofEpochMilli(key.startMs()),
                Instant.ofEpochMilli(key.startMs() + sizeMs), EdgeFigures.stats(p.tally));
        context().forward(new Record<>(EdgeUpdate.topicKey(key.edge(), key.startMs()), update, p.timestampMs));
    }

    @Override
    public void discard() {
        pending.clear();
    }

    @Override
    public void close() {
        pending.clear();
    }
}
