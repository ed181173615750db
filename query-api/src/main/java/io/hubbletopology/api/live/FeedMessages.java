package io.hubbletopology.api.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.processor.query.LiveTopology;

/**
 * Builds the live feed's messages. Each keeps {@code src}, {@code dst} and {@code state} at the top level,
 * so the old agent's example client ({@code graph.updateLink(update.src, update.dst, update.state)}) works
 * unchanged, and carries the record beside them in the JSON it has everywhere else (REST, the output topics):
 * <pre>
 * {"type":"edge","src":"shop/deployment/frontend","dst":"shop/deployment/cart","state":"forwarded","edge":{...}}
 * {"type":"link","src":"node-1","dst":"eth0","state":"up","link":{...}}
 * </pre>
 * A snapshot's edge is an {@link EdgeStats} (the snapshot range summed), an update's an {@link EdgeUpdate} (one
 * window: the same figures, with {@code window_start} and {@code window_end}); {@code state} is the edge's own. An
 * edge message also has a summary form ({@link EdgeSummary}) for the clients that asked for it ({@link EdgeDetail}).
 */
public final class FeedMessages {

    private static final ObjectMapper JSON = OutputJson.MAPPER;

    private FeedMessages() {
    }

    /** An edge of the snapshot: its figures over the snapshot range. */
    public static FeedUpdate edge(EdgeStats edge) {
        return edge(edge, null, edge);
    }

    /** An edge update as the processor published it: one window's figures. */
    public static FeedUpdate edge(EdgeUpdate update) {
        return edge(update.stats(), update.windowStart(), update);
    }

    private static FeedUpdate edge(EdgeStats edge, Instant window, Object record) {
        Set<String> namespaces = new HashSet<>();
        addIfPresent(namespaces, edge.srcNamespace());
        addIfPresent(namespaces, edge.dstNamespace());
        // Coalesced per edge and window: the last update of a window that just closed must not be replaced by
        // the first one of the next (both come out of the same commit), or a client summing counts loses it.
        String key = "edge:" + edge.edgeKey() + (window == null ? "" : "@" + window.toEpochMilli());
        Instant windowEnd = record instanceof EdgeUpdate update ? update.windowEnd() : null;
        return FeedUpdate.encodedLater(key, FeedUpdate.Kind.EDGE,
                () -> envelope("edge", edge.src(), edge.dst(), edge.state().label(), "edge", record),
                () -> envelope("edge", edge.src(), edge.dst(), edge.state().label(), "edge", EdgeSummary.of(edge, window, windowEnd)),
                Set.copyOf(namespaces), verdicts(edge), edge.protocol(), edge.flows());
    }

    /** A link change, or a link of the snapshot. */
    public static FeedUpdate link(LinkState link) {
        return FeedUpdate.encodedLater("link:" + link.key().text(), FeedUpdate.Kind.LINK,
                () -> envelope("link", link.node(), link.name(), link.removed() ? "removed" : link.state(), "link", link),
                Set.of(), Set.of(), "", 0);
    }

    /**
     * {@code {"type":…,"src":…,"dst":…,"state":…,<field>:<record>}} written straight to UTF-8 (the record as
     * everywhere else): at 10,000 edges a snapshot is some 30,000 of these, and going through a JSON tree first
     * cost the sender about twice the CPU.
     */
    private static byte[] envelope(String type, String src, String dst, String state, String field, Object record) {
        ByteArrayBuilder out = new ByteArrayBuilder(1024);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("src", src);
            g.writeStringField("dst", dst);
            g.writeStringField("state", state);
            g.writeFieldName(field);
            JSON.writeValue(g, record);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return out.toByteArray();
    }

    /**
     * What a new client is told after its snapshot: how complete it was and the time it reflects, in the words of
     * the REST answers ({@code partial}, {@code missing}, {@code as_of}), and how its edges split ({@link LiveTopology}):
     * those without {@code window_start} sum the windows from {@code from} to before {@code open_from}, those with
     * it are the windows from {@code open_from} on, which later updates replace:
     * <pre>{"type":"snapshot","src":"","dst":"","state":"partial","partial":true,"missing":[...],"as_of":"...","from":"...","open_from":"...","edges":12,"links":3}</pre>
     */
    public static FeedUpdate snapshotStatus(boolean partial, Object missing, Instant asOf, LiveTopology edges, int links) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "snapshot").put("src", "").put("dst", "").put("state", partial ? "partial" : "complete");
        message.put("partial", partial);
        message.set("missing", JSON.valueToTree(missing));
        message.put("as_of", asOf.toString()).put("from", edges.from().toString()).put("open_from", edges.openFrom().toString());
        message.put("edges", edges.edgeCount()).put("links", links);
        return new FeedUpdate("snapshot", FeedUpdate.Kind.STATUS, write(message), Set.of(), Set.of(), "", 0);
    }

    /**
     * Several messages sent as one, for a client that asked for its snapshot batched ({@link SnapshotShape}): each
     * of {@code messages} exactly as it would have been sent alone, in order, so a client handles them as it would
     * one by one:
     * <pre>{"type":"batch","src":"","dst":"","state":"snapshot","messages":[{"type":"edge",...},{"type":"link",...}]}</pre>
     */
    static FeedUpdate batch(List<FeedUpdate> messages) {
        return FeedUpdate.encodedLater("batch", FeedUpdate.Kind.STATUS, () -> {
            ByteBuffer out = ByteBuffer.allocate(joinedSize(SNAPSHOT_HEAD, messages));
            join(SNAPSHOT_HEAD, messages, out);
            return out.array();
        }, Set.of(), Set.of(), "", 0);
    }

    private static final byte[] SNAPSHOT_HEAD = "{\"type\":\"batch\",\"src\":\"\",\"dst\":\"\",\"state\":\"snapshot\",\"messages\":["
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHANGES_HEAD = "{\"type\":\"batch\",\"src\":\"\",\"dst\":\"\",\"state\":\"changes\",\"messages\":["
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BATCH_TAIL = "]}".getBytes(StandardCharsets.UTF_8);

    /**
     * Changes a sender took together, sent as one message, for a client that asked for its updates batched
     * ({@link UpdateShape}): each of {@code messages} exactly as it would have been sent alone, in order. Made for
     * one client at a time, so it copies the messages' bytes once and encodes nothing:
     * <pre>{"type":"batch","src":"","dst":"","state":"changes","messages":[{"type":"edge",...},{"type":"edge",...}]}</pre>
     */
    static FeedUpdate changes(List<FeedUpdate> messages) {
        ByteBuffer out = ByteBuffer.allocate(changesSize(messages));
        writeChanges(messages, out);
        return FeedUpdate.encoded("batch", FeedUpdate.Kind.STATUS, out.array());
    }

    /** How many bytes {@link #changes} makes of these messages. */
    static int changesSize(List<FeedUpdate> messages) {
        return joinedSize(CHANGES_HEAD, messages);
    }

    /** Writes the bytes of {@link #changes} into {@code out} (a socket's own buffer: no copy on the heap first). */
    static void writeChanges(List<FeedUpdate> messages, ByteBuffer out) {
        join(CHANGES_HEAD, messages, out);
    }

    private static int joinedSize(byte[] head, List<FeedUpdate> messages) {
        int size = head.length + BATCH_TAIL.length + messages.size() - 1;
        for (FeedUpdate message : messages) {
            size += message.bytes().remaining();
        }
        return size;
    }

    private static void join(byte[] head, List<FeedUpdate> messages, ByteBuffer out) {
        out.put(head);
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            out.put(messages.get(i).bytes());
        }
        out.put(BATCH_TAIL);
    }

    /** What a flow-tail client is told after it skipped flows it could not take in time: {@code {"type":"skipped","count":12}}. */
    static FeedUpdate skipped(long count) {
        return new FeedUpdate("skipped", FeedUpdate.Kind.STATUS, "{\"type\":\"skipped\",\"count\":" + count + "}", Set.of(), Set.of(), "", 0);
    }

    /** The verdicts an edge carries, lower case: those with flows. */
    static Set<String> verdicts(EdgeStats edge) {
        Set<String> out = new HashSet<>();
        edge.verdicts().forEach((verdict, flows) -> {
            if (flows > 0) {
                out.add(verdict.toLowerCase(Locale.ROOT));
            }
        });
        return Set.copyOf(out);
    }

    private static void addIfPresent(Set<String> set, String value) {
        if (value != null && !value.isEmpty()) {
            set.add(value);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
