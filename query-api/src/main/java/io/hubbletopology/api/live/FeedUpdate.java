package io.hubbletopology.api.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Supplier;

import io.hubbletopology.records.FlowRecord;

/**
 * One change for live clients. Its JSON text is made at most once, and only when some client wants it,
 * whatever the number of clients, and kept as the UTF-8 bytes every client is sent ({@link #bytes()}); an edge's
 * summary form ({@link EdgeDetail}) likewise, for the clients that asked for it ({@link #in}).
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

    /** The message as sent: its UTF-8 bytes, encoded once for every client (a view of its own for each caller). */
    ByteBuffer bytes() {
        return ByteBuffer.wrap(((Once) text).utf8()).asReadOnlyBuffer();
    }

    /** A message whose UTF-8 bytes are already made (a batch of messages, copied together): no text, no encoding. */
    static FeedUpdate encoded(String key, Kind kind, byte[] utf8) {
        return new FeedUpdate(key, kind, new Once(utf8), Set.of(), Set.of(), "", 0, null);
    }

    /** A message whose UTF-8 bytes are made on first use, written as bytes (no text in between). */
    static FeedUpdate encodedLater(String key, Kind kind, Supplier<byte[]> utf8, Set<String> namespaces,
                                   Set<String> verdicts, String protocol, long flows) {
        return new FeedUpdate(key, kind, Once.ofBytes(utf8), namespaces, verdicts, protocol, flows, null);
    }

    /**
     * An edge message with a second form for clients that asked for {@code detail=summary} ({@link EdgeDetail}):
     * each made on first use, at most once whatever the number of clients.
     */
    static FeedUpdate encodedLater(String key, Kind kind, Supplier<byte[]> full, Supplier<byte[]> summary,
                                   Set<String> namespaces, Set<String> verdicts, String protocol, long flows) {
        return new FeedUpdate(key, kind, new Once(full, new Once(summary, null)), namespaces, verdicts, protocol, flows, null);
    }

    /** This message as a client that asked for {@code detail} gets it: the same, unless it has a summary form. */
    FeedUpdate in(EdgeDetail detail) {
        if (detail == EdgeDetail.SUMMARY && text instanceof Once once && once.summary != null) {
            return new FeedUpdate(key, kind, once.summary, namespaces, verdicts, protocol, flows, flow);
        }
        return this;
    }

    private static Supplier<String> once(Supplier<String> make) {
        if (make instanceof Once) {
            return make;
        }
        return Once.ofBytes(() -> make.get().getBytes(StandardCharsets.UTF_8));
    }

    /** Makes the bytes on first use and keeps only them: what is sent, and no more memory than the text. */
    private static final class Once implements Supplier<String> {
        private final Supplier<byte[]> make;
        /** The summary form of an edge message, or null. */
        private final Once summary;
        private volatile byte[] value;

        private Once(Supplier<byte[]> make, Once summary) {
            this.make = make;
            this.summary = summary;
        }

        static Once ofBytes(Supplier<byte[]> make) {
            return new Once(make, null);
        }

        Once(byte[] made) {
            this.make = null;
            this.summary = null;
            this.value = made;
        }

        @Override
        public String get() {
            return new String(utf8(), StandardCharsets.UTF_8);
        }

        byte[] utf8() {
            byte[] v = value;
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
