package io.hubbletopology.processor.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.serde.CodecSerde;

/**
 * The running figures of one edge in one window, as the window store keeps them. Read, added to and written
 * back for every flow, so it is a plain mutable object with a compact binary form of its own (the store's
 * cache holds bytes): no maps, and the node names stay undecoded bytes until someone asks for them. Every
 * instance is owned by one aggregation step; nothing shares it.
 * <p>
 * Binary form, version 1 (big-endian): version byte; names (int length, UTF-8 {@code src\0dst\0srcNs\0dstNs});
 * protocol and port (int each); flows, first and last seen (nanos), TCP SYN and RST, HTTP requests, DNS queries
 * and failures, latency count, sum and max (long each); encrypted (byte); verdicts and drop reasons (short
 * count, then int code and long count each); HTTP status classes (short count, long each); nodes (short count,
 * then short length and UTF-8 each). A new version adds fields at the end and bumps the version byte.
 * <p>
 * Version 2 appends the HTTP routes: short count, then per route short length and UTF-8 {@code method\0path}
 * and long requests; then long requests not in a route. A version 1 value reads with no route.
 */
final class EdgeTally {

    private static final byte VERSION = 2;
    private static final int STATUS_CLASSES = 10;
    /** The longest route key ({@code method\0path}, UTF-8) kept; a longer one counts in {@link #routesOther}. */
    static final int MAX_ROUTE_BYTES = 1024;

    byte[] names = new byte[0];
    int protocol;
    int port;
    long flows;
    long firstSeenNanos;
    long lastSeenNanos;
    long tcpSyn;
    long tcpRst;
    long httpRequests;
    long dnsQueries;
    long dnsFailures;
    long latencyCount;
    long latencySumNs;
    long latencyMaxNs;
    boolean encrypted;
    final Counts verdicts = new Counts();
    final Counts dropReasons = new Counts();
    long[] httpStatusClasses = new long[STATUS_CLASSES];
    String[] nodes = new String[0];
    final Routes routes = new Routes();
    long routesOther;

    /**
     * HTTP requests per route, at most {@link EdgeStats.Http#MAX_ROUTES}: keys stay
     * bytes ({@code method\0path}, UTF-8), compared as bytes, decoded only when read as the model.
     */
    static final class Routes extends Counted {
        byte[][] keys = new byte[2][];

        /** Counts one request of the route; false when the route is new and there is no room left for it. */
        boolean add(byte[] key, int max) {
            for (int i = 0; i < size; i++) {
                if (Arrays.equals(keys[i], key)) {
                    counts[i]++;
                    return true;
                }
            }
            if (size >= max) {
                return false;
            }
            put(key, 1);
            return true;
        }

        void put(byte[] key, long count) {
            int at = append(count);
            keys[at] = key;
        }

        @Override
        void growKeys(int length) {
            keys = Arrays.copyOf(keys, length);
        }

        static byte[] key(String method, String path) {
            return (method + '\0' + path).getBytes(StandardCharsets.UTF_8);
        }

        /** method, path. */
        static String[] parts(byte[] key) {
            String s = new String(key, StandardCharsets.UTF_8);
            int at = s.indexOf('\0');
            return at < 0 ? new String[] {"", s} : new String[] {s.substring(0, at), s.substring(at + 1)};
        }
    }

    /** A few counts by code, in the order first seen: an edge sees one to a handful of codes. */
    static final class Counts extends Counted {
        int[] codes = new int[2];

        void add(int code) {
            for (int i = 0; i < size; i++) {
                if (codes[i] == code) {
                    counts[i]++;
                    return;
                }
            }
            put(code, 1);
        }

        void put(int code, long count) {
            int at = append(count);
            codes[at] = code;
        }

        @Override
        void growKeys(int length) {
            codes = Arrays.copyOf(codes, length);
        }
    }

    /** Keys (held by the subclass, in an array of its type) beside their counts, in the order first seen. */
    abstract static class Counted {
        int size;
        long[] counts = new long[2];

        /** The slot of a new entry holding {@code count}; both arrays double when full. */
        final int append(long count) {
            if (size == counts.length) {
                counts = Arrays.copyOf(counts, size * 2);
                growKeys(size * 2);
            }
            counts[size] = count;
            return size++;
        }

        abstract void growKeys(int length);
    }

    void setNames(String src, String dst, String srcNamespace, String dstNamespace) {
        names = (src + '\0' + dst + '\0' + srcNamespace + '\0' + dstNamespace).getBytes(StandardCharsets.UTF_8);
    }

    /** src, dst, src namespace, dst namespace. */
    String[] names() {
        String[] parts = new String(names, StandardCharsets.UTF_8).split("\0", -1);
        return parts.length == 4 ? parts : new String[] {"", "", "", ""};
    }

    void addStatusClass(int statusClass) {
        httpStatusClasses[Math.min(Math.max(statusClass, 0), STATUS_CLASSES - 1)]++;
    }

    void addNode(String node) {
        int at = Arrays.binarySearch(nodes, node);
        if (at < 0) {
            int insert = -at - 1;
            String[] grown = new String[nodes.length + 1];
            System.arraycopy(nodes, 0, grown, 0, insert);
            grown[insert] = node;
            System.arraycopy(nodes, insert, grown, insert + 1, nodes.length - insert);
            nodes = grown;
        }
    }

    /** Counts one HTTP request of a route: in the route while it fits, else in {@link #routesOther}. */
    void addRoute(String method, String path) {
        byte[] key = Routes.key(method, path);
        if (key.length > MAX_ROUTE_BYTES || !routes.add(key, EdgeStats.Http.MAX_ROUTES)) {
            routesOther++;
        }
    }

    static Serde<EdgeTally> serde() {
        return CodecSerde.of(EdgeTally::write, (topic, bytes) -> decode(bytes));
    }

    private static EdgeTally decode(byte[] bytes) {
        try {
            return read(ByteBuffer.wrap(bytes));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("not an edge tally: " + e);
        }
    }

    static byte[] write(EdgeTally t) {
        byte[][] nodeBytes = new byte[t.nodes.length][];
        int size = 1 + 4 + t.names.length + 8 + 11 * 8 + 1 + 2 + 12 * (t.verdicts.size + t.dropReasons.size) + 2
                + 2 + 8 * STATUS_CLASSES + 2 + 2 + 8;
        for (int i = 0; i < t.nodes.length; i++) {
            nodeBytes[i] = t.nodes[i].getBytes(StandardCharsets.UTF_8);
            size += 2 + nodeBytes[i].length;
        }
        for (int i = 0; i < t.routes.size; i++) {
            size += 2 + t.routes.keys[i].length + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(VERSION).putInt(t.names.length).put(t.names).putInt(t.protocol).putInt(t.port);
        b.putLong(t.flows).putLong(t.firstSeenNanos).putLong(t.lastSeenNanos).putLong(t.tcpSyn).putLong(t.tcpRst)
                .putLong(t.httpRequests).putLong(t.dnsQueries).putLong(t.dnsFailures).putLong(t.latencyCount)
                .putLong(t.latencySumNs).putLong(t.latencyMaxNs).put((byte) (t.encrypted ? 1 : 0));
        writeCounts(b, t.verdicts);
        writeCounts(b, t.dropReasons);
        b.putShort((short) STATUS_CLASSES);
        for (long n : t.httpStatusClasses) {
            b.putLong(n);
        }
        b.putShort((short) nodeBytes.length);
        for (byte[] node : nodeBytes) {
            b.putShort((short) node.length).put(node);
        }
        b.putShort((short) t.routes.size);
        for (int i = 0; i < t.routes.size; i++) {
            b.putShort((short) t.routes.keys[i].length).put(t.routes.keys[i]).putLong(t.routes.counts[i]);
        }
        b.putLong(t.routesOther);
        return Arrays.copyOf(b.array(), b.position());
    }

    static EdgeTally read(ByteBuffer b) {
        byte version = b.get();
        if (version != 1 && version != VERSION) {
            throw new IllegalArgumentException("unknown version " + version);
        }
        EdgeTally t = new EdgeTally();
        t.names = new byte[b.getInt()];
        b.get(t.names);
        t.protocol = b.getInt();
        t.port = b.getInt();
        t.flows = b.getLong();
        t.firstSeenNanos = b.getLong();
        t.lastSeenNanos = b.getLong();
        t.tcpSyn = b.getLong();
        t.tcpRst = b.getLong();
        t.httpRequests = b.getLong();
        t.dnsQueries = b.getLong();
        t.dnsFailures = b.getLong();
        t.latencyCount = b.getLong();
        t.latencySumNs = b.getLong();
        t.latencyMaxNs = b.getLong();
        t.encrypted = b.get() != 0;
        readCounts(b, t.verdicts);
        readCounts(b, t.dropReasons);
        int classes = b.getShort();
        t.httpStatusClasses = new long[Math.max(classes, STATUS_CLASSES)];
        for (int i = 0; i < classes; i++) {
            t.httpStatusClasses[i] = b.getLong();
        }
        t.nodes = new String[b.getShort()];
        for (int i = 0; i < t.nodes.length; i++) {
            byte[] node = new byte[b.getShort()];
            b.get(node);
            t.nodes[i] = new String(node, StandardCharsets.UTF_8);
        }
        if (version >= 2) {
            int routes = b.getShort();
            for (int i = 0; i < routes; i++) {
                byte[] key = new byte[b.getShort()];
                b.get(key);
                t.routes.put(key, b.getLong());
            }
            t.routesOther = b.getLong();
        }
        return t;
    }

    private static void writeCounts(ByteBuffer b, Counts c) {
        b.putShort((short) c.size);
        for (int i = 0; i < c.size; i++) {
            b.putInt(c.codes[i]).putLong(c.counts[i]);
        }
    }

    private static void readCounts(ByteBuffer b, Counts c) {
        int n = b.getShort();
        for (int i = 0; i < n; i++) {
            c.put(b.getInt(), b.getLong());
        }
    }
}
