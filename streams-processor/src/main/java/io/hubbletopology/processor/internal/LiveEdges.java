package io.hubbletopology.processor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.records.FlowRecord;

/**
 * The live view of one task's edges: the provisional figures of every edge and open window, kept in memory and
 * updated per flow (no serde per flow), and every live interval the states that changed go to the {@link LiveSink},
 * one per edge and window however many flows it took. It sits right before the window aggregation and sees exactly
 * the flows the aggregation counts, so once committed its last state of a window is the stored one.
 *
 * <ul>
 *   <li>An edge and window it has not seen in this task starts from the store ({@value TopologyStreams#EDGES_STORE}),
 *       read before the aggregation adds the flow: after a restart or a rebalance the live figures go on from what
 *       the task restored, and a window is never shown lower than the store holds.</li>
 *   <li>A live state is sent when the interval has passed since the last send, on the next flow or by a wall-clock
 *       punctuation when no flow comes, so a flow after a quiet spell goes out at once.</li>
 *   <li>Provisional: the figures run ahead of the committed ones. When a task is restored after a crash (or, with
 *       exactly-once, after an aborted transaction) it starts again from the committed store, so its next state
 *       of a window can be lower than one sent before: a correction, until the replayed flows count again.</li>
 *   <li>Bounded: states of windows past their grace are dropped once sent; at {@value #MAX_STATES} states the view
 *       sends what changed and forgets the rest, which then start again from the store (one store read each).</li>
 * </ul>
 */
final class LiveEdges extends ContextualFixedKeyProcessor<String, FlowRecord, FlowRecord> {

    static final int MAX_STATES = 20_000;
    private static final Logger log = LoggerFactory.getLogger(LiveEdges.class);

    /** One edge in one window. */
    private record EdgeWindow(String edge, long start) {
    }

    /** Its figures so far, and whether they changed since they were last sent. */
    private static final class Provisional {
        final EdgeTally tally;
        boolean changed;

        Provisional(EdgeTally tally) {
            this.tally = tally;
        }
    }

    private final long sizeMs;
    private final long graceMs;
    private final long intervalMs;
    private final LiveSink sink;
    private final Map<EdgeWindow, Provisional> states = new HashMap<>();
    private final List<EdgeWindow> changed = new ArrayList<>();
    private TimestampedWindowStore<String, EdgeTally> store;
    private long streamTimeMs = Long.MIN_VALUE;
    private long lastSentMs = Long.MIN_VALUE;
    private boolean boundLogged;

    LiveEdges(Duration size, Duration grace, Duration interval, LiveSink sink) {
        this.sizeMs = size.toMillis();
        this.graceMs = grace.toMillis();
        this.intervalMs = interval.toMillis();
        this.sink = sink;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, FlowRecord> context) {
        super.init(context);
        store = context.getStateStore(TopologyStreams.EDGES_STORE);
        context.schedule(Duration.ofMillis(intervalMs), PunctuationType.WALL_CLOCK_TIME, this::sendIfDue);
    }

    @Override
    public void process(FixedKeyRecord<String, FlowRecord> record) {
        long time = record.timestamp();
        streamTimeMs = Math.max(streamTimeMs, time);
        // The tumbling window TimeWindows gives this time (as LateFlowFilter computes it).
        EdgeWindow window = new EdgeWindow(record.key(), time - Math.floorMod(time, sizeMs));
        Provisional state = states.get(window);
        if (state == null) {
            if (states.size() >= MAX_STATES) {
                atBound();
            }
            state = new Provisional(stored(window));
            states.put(window, state);
        }
        EdgeFigures.add(state.tally, record.value());
        if (!state.changed) {
            state.changed = true;
            changed.add(window);
        }
        context().forward(record);
        sendIfDue(context().currentSystemTimeMs());
    }

    /** The window's figures in the store, before this flow: a copy of its own, which the view may change. */
    private EdgeTally stored(EdgeWindow window) {
        ValueAndTimestamp<EdgeTally> stored = store.fetch(window.edge(), window.start());
        return stored == null || stored.value() == null ? EdgeFigures.empty() : stored.value();
    }

    private void sendIfDue(long nowMs) {
        if (!changed.isEmpty() && (lastSentMs == Long.MIN_VALUE || nowMs - lastSentMs >= intervalMs)) {
            send();
            lastSentMs = nowMs;
        }
    }

    /** Sends every changed state; one the sink refuses stays changed, for the next interval. */
    private void send() {
        List<EdgeWindow> refused = new ArrayList<>();
        boolean open = true;
        for (EdgeWindow window : changed) {
            Provisional state = states.get(window);
            if (state == null) {
                continue;
            }
            Instant start = Instant.ofEpochMilli(window.start());
            EdgeUpdate update = EdgeUpdate.of(start, start.plusMillis(sizeMs), EdgeFigures.stats(state.tally));
            // After one refusal Kafka is not taking any: keep the rest for the next interval, without waiting on each.
            open = open && sink.edge(window.edge(), update);
            if (open) {
                state.changed = false;
            } else {
                refused.add(window);
            }
        }
        changed.clear();
        changed.addAll(refused);
        dropClosedWindows();
    }

    /** States of windows past their grace: no flow can change them any more (LateFlowFilter drops it). */
    private void dropClosedWindows() {
        long streamTime = Math.max(streamTimeMs, context().currentStreamTimeMs());
        for (Iterator<Map.Entry<EdgeWindow, Provisional>> it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<EdgeWindow, Provisional> e = it.next();
            if (!e.getValue().changed && e.getKey().start() + sizeMs + graceMs <= streamTime) {
                it.remove();
            }
        }
    }

    private void atBound() {
        if (!boundLogged) {
            boundLogged = true;
            log.info("Live view of task {} holds {} edge windows, its bound: sending and starting again from the store",
                    context().taskId(), states.size());
        }
        send();
        states.values().removeIf(state -> !state.changed);
        if (states.size() >= MAX_STATES) {
            // Kafka refuses the changed ones too: forget them, the feed shows them again at their next flow.
            states.clear();
            changed.clear();
        }
    }

    @Override
    public void close() {
        // A task leaving this instance (rebalance, shutdown): what changed goes out before the next owner goes on.
        if (!changed.isEmpty()) {
            send();
        }
        states.clear();
        changed.clear();
    }
}
