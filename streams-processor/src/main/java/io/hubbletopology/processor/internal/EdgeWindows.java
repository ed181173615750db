package io.hubbletopology.processor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.processor.output.EdgeUpdate;

/**
 * Sums flows per edge and tumbling window in memory, as {@link EdgeTally} objects, for two readers at two paces:
 * <ul>
 *   <li><b>Committed</b>: at each commit of the task (from its {@link CommitHook}) every window that changed is
 *       written once to the {@value TopologyStreams#EDGES_STORE} store and the edge updates topic, so a flow costs
 *       no store access, no serialisation and no forwarding. Exactly as safe as the record cache it replaces:
 *       what changed is written before the commit's offsets (at-least-once) or inside its transaction
 *       (exactly-once).</li>
 *   <li><b>Live</b>: every live interval the windows that changed since the last send go to the {@link LiveSink}
 *       (the live topic), one provisional state per edge and window however many flows it took; a flow after a
 *       quiet spell goes out at once. Provisional: the states run ahead of the committed ones; a task that ends
 *       without a commit (a crash, an aborted transaction) drops its windows and starts again from the store, so
 *       its next state of a window can be lower than one sent before: a correction, until the flows processed
 *       again count again.</li>
 * </ul>
 * An edge window this task has not seen yet starts from the store, so counts carry on across restarts and
 * rebalances. Windows stay in memory while open; once past their grace, written and sent, they are dropped.
 * Memory is bounded: at {@value #MAX_WINDOWS} windows every change is written and sent at once (more than one
 * update per edge window and commit, only then) and the windows with nothing pending are forgotten.
 */
final class EdgeWindows extends ContextualProcessor<String, FlowView, String, EdgeUpdate>
        implements CommitHook.Owner {

    static final int MAX_WINDOWS = 20_000;
    private static final Logger log = LoggerFactory.getLogger(EdgeWindows.class);

    private final long sizeMs;
    private final long graceMs;
    private final long liveIntervalMs;
    private final LateFlowFilter late;
    private final String storeName;
    private final String hookName;
    private final LiveSink live;
    private final Map<WindowedEdge, Window> windows = new HashMap<>();
    private final List<WindowedEdge> unwritten = new ArrayList<>();
    private final List<WindowedEdge> unsent = new ArrayList<>();
    private TimestampedWindowStore<String, EdgeTally> store;
    private InternalProcessorContext<String, EdgeUpdate> internal;
    private ProcessorNode<?, ?, ?, ?> node;
    private long lastSentMs = Long.MIN_VALUE;
    private boolean boundLogged;

    private record WindowedEdge(String edge, long startMs) {
    }

    /** A window's figures so far, the last flow that changed them, and who has yet to see the change. */
    private static final class Window {
        final EdgeTally tally;
        long timestampMs;
        RecordMetadata source;
        boolean toWrite;
        boolean toSend;

        Window(EdgeTally tally, long timestampMs) {
            this.tally = tally;
            this.timestampMs = timestampMs;
        }
    }

    EdgeWindows(Duration size, Duration grace, LateFlowFilter late, String storeName, String hookName, Duration liveInterval,
                LiveSink live) {
        this.sizeMs = size.toMillis();
        this.graceMs = grace.toMillis();
        this.late = late;
        this.storeName = storeName;
        this.hookName = hookName;
        this.liveIntervalMs = liveInterval.toMillis();
        this.live = live;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(ProcessorContext<String, EdgeUpdate> context) {
        super.init(context);
        // A task revived after a failure initialises its processors again: what was not committed is processed again.
        forget();
        store = context.getStateStore(storeName);
        // Forwarding from the commit needs the node that Kafka Streams sets while a processor runs; it is the
        // current node while processors are initialised, as for Kafka Streams' own cache flush listeners.
        internal = (InternalProcessorContext<String, EdgeUpdate>) context;
        node = internal.currentNode();
        CommitHook hook = context.getStateStore(hookName);
        hook.owner(this);
        context.schedule(Duration.ofMillis(liveIntervalMs), PunctuationType.WALL_CLOCK_TIME, this::sendIfDue);
    }

    @Override
    public void process(Record<String, FlowView> record) {
        long time = record.timestamp();
        if (late.isLate(record.key(), time, context().currentStreamTimeMs())) {
            return;
        }
        WindowedEdge key = new WindowedEdge(record.key(), time - Math.floorMod(time, sizeMs));
        Window w = windows.get(key);
        if (w == null) {
            if (windows.size() >= MAX_WINDOWS) {
                atBound();
            }
            w = read(key);
            windows.put(key, w);
        }
        EdgeFigures.add(w.tally, record.value());
        w.timestampMs = Math.max(w.timestampMs, time);
        w.source = context().recordMetadata().orElse(null);
        if (!w.toWrite) {
            w.toWrite = true;
            unwritten.add(key);
        }
        if (!w.toSend) {
            w.toSend = true;
            unsent.add(key);
        }
        sendIfDue(context().currentSystemTimeMs());
    }

    private Window read(WindowedEdge key) {
        ValueAndTimestamp<EdgeTally> stored = store.fetch(key.edge(), key.startMs());
        return stored == null || stored.value() == null ? new Window(EdgeFigures.empty(), Long.MIN_VALUE)
                : new Window(stored.value(), stored.timestamp());
    }

    /** At the task's commit: writes every changed window to the store and the edge updates topic, in its last flow's context. */
    @Override
    public void flush() {
        if (!unwritten.isEmpty()) {
            ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
            ProcessorRecordContext previousContext = internal.recordContext();
            internal.setCurrentNode(node);
            try {
                for (WindowedEdge key : unwritten) {
                    Window w = windows.get(key);
                    if (w != null) {
                        write(key, w);
                        w.toWrite = false;
                    }
                }
            } finally {
                unwritten.clear();
                internal.setRecordContext(previousContext);
                internal.setCurrentNode(previousNode);
            }
        }
        dropClosedWindows();
    }

    private void write(WindowedEdge key, Window w) {
        RecordMetadata source = w.source;
        // The store's changelog and position take topic, partition and offset from the record context.
        internal.setRecordContext(new ProcessorRecordContext(w.timestampMs, source == null ? -1 : source.offset(),
                source == null ? -1 : source.partition(), source == null ? null : source.topic(), new RecordHeaders()));
        // The store serialises the tally now; later flows go on changing the object, not what was written.
        store.put(key.edge(), ValueAndTimestamp.make(w.tally, w.timestampMs), key.startMs());
        context().forward(new Record<>(EdgeUpdate.topicKey(key.edge(), key.startMs()), update(key, w), w.timestampMs));
    }

    private EdgeUpdate update(WindowedEdge key, Window w) {
        return EdgeUpdate.of(Instant.ofEpochMilli(key.startMs()), Instant.ofEpochMilli(key.startMs() + sizeMs),
                EdgeFigures.stats(w.tally));
    }

    private void sendIfDue(long nowMs) {
        if (!unsent.isEmpty() && (lastSentMs == Long.MIN_VALUE || nowMs - lastSentMs >= liveIntervalMs)) {
            send();
            lastSentMs = nowMs;
        }
    }

    /** Sends every window changed since the last send; one the sink refuses stays unsent, for the next interval. */
    private void send() {
        List<WindowedEdge> refused = new ArrayList<>();
        boolean open = true;
        for (WindowedEdge key : unsent) {
            Window w = windows.get(key);
            if (w == null) {
                continue;
            }
            // After one refusal Kafka is not taking any: keep the rest for the next interval, without waiting on each.
            open = open && live.edge(key.edge(), update(key, w));
            if (open) {
                w.toSend = false;
            } else {
                refused.add(key);
            }
        }
        unsent.clear();
        unsent.addAll(refused);
    }

    /** Windows past their grace with nothing pending: no flow can change them any more (LateFlowFilter drops it). */
    private void dropClosedWindows() {
        long streamTime = context().currentStreamTimeMs();
        for (Iterator<Map.Entry<WindowedEdge, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<WindowedEdge, Window> e = it.next();
            Window w = e.getValue();
            if (!w.toWrite && !w.toSend && e.getKey().startMs() + sizeMs + graceMs <= streamTime) {
                it.remove();
            }
        }
    }

    private void atBound() {
        if (!boundLogged) {
            boundLogged = true;
            log.info("Task {} holds {} edge windows, its bound: writing and sending them now, then starting again from the store",
                    context().taskId(), windows.size());
        }
        flush();
        send();
        windows.values().removeIf(w -> !w.toWrite && !w.toSend);
        if (windows.size() >= MAX_WINDOWS) {
            // Kafka refuses the live states: forget them, the feed shows those windows again at their next flow.
            windows.values().removeIf(w -> !w.toWrite);
            unsent.clear();
        }
    }

    /** The task ends without a commit: what was not committed is processed again, from the store. */
    @Override
    public void discard() {
        forget();
    }

    private void forget() {
        windows.clear();
        unwritten.clear();
        unsent.clear();
    }

    @Override
    public void close() {
        // A task leaving this instance (rebalance, shutdown): its live states go out before the next owner goes on.
        if (!unsent.isEmpty()) {
            send();
        }
        forget();
    }
}
