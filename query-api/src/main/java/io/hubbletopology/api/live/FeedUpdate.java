package io.hubbletopology.api.live;

import java.util.Set;
import java.util.function.Supplier;

import io.hubbletopology.records.FlowRecord;

/**
 * One change for live clients. Its JSON text is made at most once, and only when some client wants it,
 * whatever the number of clients.
 *
 * @param key         what it updates (an edge, an interface, a flow): a topology client's queue keeps only the
 *                    latest per key
 * @param kind        edge, link, flow or status
 * @param text        the JSON text sent to clients, made on first use
 * @param namespaces  the namespaces it touches (edge: source and destination)
 * @param verdicts    the verdicts it carries, lower case (edge only)
 * @param protocol    the L4 protocol, upper case (edge only)
 * @param flows       its flow count (edge only)
 * @param flow        the flow itself (flow only), for the flow tail's filters
 */
public record FeedUpdate(String key, Kind kind, Supplier<String> text, Set<String> namespaces, Set<String> verdicts,
                         String protocol, long flows, FlowRecord flow) {

    /** STATUS: what a client is told about the feed itself (how complete its snapshot was). */
    public enum Kind { EDGE, LINK, FLOW, STATUS }

    public FeedUpdate {
        text = once(text);
    }

    /** An edge or link update whose text is already made. */
    public FeedUpdate(String key, Kind kind, String payload, Set<String> namespaces, Set<String> verdicts, String protocol,
                      long flows) {
        this(key, kind, () -> payload, namespaces, verdicts, protocol, flows, null);
    }

    public String payload() {
        return text.get();
    }

    private static Supplier<String> once(Supplier<String> make) {
        if (make instanceof Once) {
            return make;
        }
        return new Once(make);
    }

    private static final class Once implements Supplier<String> {
        private final Supplier<String> make;
        private volatile String value;

        Once(Supplier<String> make) {
            this.make = make;
        }

        @Override
        public String get() {
            String v = value;
            if (v == null) {
                synchronized (this) {
                    if (value == null) {
                        value = make.get();
                    }
                    v = value;
                }
            }
            return v;
        }
    }
}
