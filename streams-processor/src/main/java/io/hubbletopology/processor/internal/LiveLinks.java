package io.hubbletopology.processor.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import io.hubbletopology.processor.output.LinkState;

/**
 * The live view of one task's links: the latest state of each link that changed, sent to the {@link LiveSink}
 * when the live interval has passed since the last send (on the next state, or by a wall-clock punctuation), so a
 * link change reaches live clients without waiting for a commit, as {@link EdgeWindows} does for edges. A link state
 * is whole, so only the changed ones are held, at most {@value #MAX_STATES} (then they are sent at once).
 */
final class LiveLinks extends ContextualFixedKeyProcessor<String, LinkState, LinkState> {

    static final int MAX_STATES = 10_000;

    private final long intervalMs;
    private final LiveSink sink;
    private final Map<String, LinkState> changed = new LinkedHashMap<>();
    private long lastSentMs = Long.MIN_VALUE;

    LiveLinks(Duration interval, LiveSink sink) {
        this.intervalMs = interval.toMillis();
        this.sink = sink;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, LinkState> context) {
        super.init(context);
        context.schedule(Duration.ofMillis(intervalMs), PunctuationType.WALL_CLOCK_TIME, this::sendIfDue);
    }

    @Override
    public void process(FixedKeyRecord<String, LinkState> record) {
        changed.put(record.key(), record.value());
        context().forward(record);
        if (changed.size() >= MAX_STATES) {
            send();
        }
        sendIfDue(context().currentSystemTimeMs());
    }

    private void sendIfDue(long nowMs) {
        if (!changed.isEmpty() && (lastSentMs == Long.MIN_VALUE || nowMs - lastSentMs >= intervalMs)) {
            send();
            lastSentMs = nowMs;
        }
    }

    /** Sends the changed links in the order they changed; from the first one refused on, they wait for the next try. */
    private void send() {
        for (Iterator<Map.Entry<String, LinkState>> it = changed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, LinkState> e = it.next();
            if (!sink.link(e.getKey(), e.getValue())) {
                if (changed.size() >= MAX_STATES) {
                    changed.clear();
                }
                return;
            }
            it.remove();
        }
    }

    @Override
    public void close() {
        send();
        changed.clear();
    }
}
