package io.hubbletopology.api.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many WebSocket client connections read by a few selector threads, each whole text message handed over as its
 * UTF-8 bytes. The fan-out benchmark's clients: java.net.http's WebSocket decodes every message to chars one at a
 * time and hops threads per message, and with 2,000 clients in the benchmark's JVM, on the cores the server under
 * test uses, that decoding was most of the benchmark's own CPU. These speak just what a feed client needs (RFC 6455):
 * the upgrade (its {@code Sec-WebSocket-Accept} checked), text frames and their continuations, a pong for every
 * ping, the server's close code; no extensions, and they send no messages.
 */
final class LeanWebSockets implements AutoCloseable {

    /** What a connection hands over, on its selector thread. */
    interface Handler {
        /** One whole text message: its UTF-8 bytes are {@code data[from, to)}, valid during the call only. */
        void text(byte[] data, int from, int to);

        /** The server closed the connection with this code, or it broke (-1). */
        void closed(int code);
    }

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int BUFFER = 16 * 1024;
    /** A message this long is not the feed's: the connection is dropped rather than buffered without bound. */
    private static final int MAX_MESSAGE = 4 * 1024 * 1024;

    private final List<Selector> selectors = new ArrayList<>();
    private final List<Queue<Connection>> registering = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Queue<Connection> open = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextSelector = new AtomicInteger();
    private volatile boolean running = true;
    private final int receiveBuffer;

    /**
     * @param receiveBuffer each socket's SO_RCVBUF in bytes, or 0 for the system's (autotuned: on loopback it grows
     *                      to tens of MB, and a client that reads slower than the server writes then holds seconds of
     *                      stale states in the kernel where the server would have coalesced them)
     */
    LeanWebSockets(int readerThreads, int receiveBuffer) throws IOException {
        this.receiveBuffer = receiveBuffer;
        for (int i = 0; i < readerThreads; i++) {
            Selector selector = Selector.open();
            Queue<Connection> queue = new ConcurrentLinkedQueue<>();
            selectors.add(selector);
            registering.add(queue);
            Thread thread = new Thread(() -> readLoop(selector, queue), "live-client-reader-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Connects and upgrades on the calling thread (blocking); from then on a selector thread reads it. */
    void open(URI uri, Handler handler) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (receiveBuffer > 0) {
                // Before connecting: the window the handshake offers depends on it.
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer in = ByteBuffer.allocate(BUFFER);
            int headEnd;
            while ((headEnd = indexOf(in.array(), 0, in.position(), "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))) < 0) {
                if (!in.hasRemaining() || channel.read(in) < 0) {
                    throw new IOException("no upgrade answer from " + uri);
                }
            }
            String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused by " + uri + ": " + head.lines().findFirst().orElse(""));
            }
            if (!head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-accept: " + accept(key).toLowerCase(java.util.Locale.ROOT))) {
                throw new IOException("wrong Sec-WebSocket-Accept from " + uri);
            }
            // Frames the server sent right after its answer are already in the buffer: keep them.
            in.limit(in.position()).position(headEnd + 4);
            in.compact();
            channel.configureBlocking(false);
            Connection connection = new Connection(channel, in, handler);
            open.add(connection);
            int i = Math.floorMod(nextSelector.getAndIncrement(), selectors.size());
            registering.get(i).add(connection);
            selectors.get(i).wakeup();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void readLoop(Selector selector, Queue<Connection> queue) {
        try {
            while (running) {
                selector.select(100);
                for (Connection c; (c = queue.poll()) != null; ) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                    c.parse();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Connection) key.attachment()).readable();
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (running) {
                throw new IllegalStateException("a client selector failed", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selectors.forEach(Selector::wakeup);
        for (Thread thread : threads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Connection c : open) {
            c.drop();
        }
        for (Selector selector : selectors) {
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** Where {@code marker} first occurs in {@code data[from, to)}, or -1. */
    static int indexOf(byte[] data, int from, int to, byte[] marker) {
        outer:
        for (int i = from; i <= to - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One connection's bytes and frames; used by its selector thread only, once registered. */
    private static final class Connection {

        private final SocketChannel channel;
        private final Handler handler;
        private ByteBuffer in;
        /** A text message split over frames, until its last one. */
        private ByteArrayOutputStream fragments;
        private boolean done;

        Connection(SocketChannel channel, ByteBuffer in, Handler handler) {
            this.channel = channel;
            this.in = in;
            this.handler = handler;
        }

        void readable() {
            int read;
            try {
                read = channel.read(in);
            } catch (IOException e) {
                read = -1;
            }
            if (read < 0) {
                end(-1);
                return;
            }
            parse();
        }

        /** Hands over every whole frame in the buffer and keeps the rest for the next read. */
        void parse() {
            byte[] a = in.array();
            int end = in.position();
            int at = 0;
            while (!done && end - at >= 2) {
                int b0 = a[at] & 0xff;
                int b1 = a[at + 1] & 0xff;
                long length = b1 & 0x7f;
                int header = 2;
                if (length == 126) {
                    if (end - at < 4) {
                        break;
                    }
                    length = ((a[at + 2] & 0xff) << 8) | (a[at + 3] & 0xff);
                    header = 4;
                } else if (length == 127) {
                    if (end - at < 10) {
                        break;
                    }
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | (a[at + 2 + i] & 0xff);
                    }
                    header = 10;
                }
                boolean masked = (b1 & 0x80) != 0;   // a server must not mask; unmasked here all the same
                int maskAt = at + header;
                if (masked) {
                    header += 4;
                }
                if (length > MAX_MESSAGE) {
                    end(-1);
                    return;
                }
                int total = header + (int) length;
                if (end - at < total) {
                    if (total > a.length) {
                        in = ByteBuffer.allocate(Math.max(total, 2 * a.length));
                        in.put(a, at, end - at);
                        return;
                    }
                    break;
                }
                int from = at + header;
                int to = from + (int) length;
                if (masked) {
                    for (int i = from; i < to; i++) {
                        a[i] ^= a[maskAt + (i - from) % 4];
                    }
                }
                frame(b0 & 0x0f, (b0 & 0x80) != 0, a, from, to);
                at = to;
            }
            if (!done) {
                System.arraycopy(a, at, a, 0, end - at);
                in.position(end - at);
            }
        }

        private void frame(int opcode, boolean fin, byte[] a, int from, int to) {
            switch (opcode) {
                case 1 -> {
                    if (fin) {
                        handler.text(a, from, to);
                    } else {
                        fragments = new ByteArrayOutputStream();
                        fragments.write(a, from, to - from);
                    }
                }
                case 0 -> {
                    if (fragments != null) {
                        fragments.write(a, from, to - from);
                        if (fin) {
                            byte[] whole = fragments.toByteArray();
                            fragments = null;
                            handler.text(whole, 0, whole.length);
                        }
                    }
                }
                case 8 -> {
                    int code = to - from >= 2 ? ((a[from] & 0xff) << 8) | (a[from + 1] & 0xff) : 1005;
                    send(8, new byte[] {(byte) (code >> 8), (byte) code});
                    end(code);
                }
                case 9 -> {
                    byte[] payload = new byte[to - from];
                    System.arraycopy(a, from, payload, 0, payload.length);
                    send(10, payload);
                }
                default -> {
                    // binary or pong: the feed sends neither for the client to act on
                }
            }
        }

        /** A control frame to the server, masked as a client's must be; tiny, so one write of an idle socket takes it. */
        private void send(int opcode, byte[] payload) {
            byte[] frame = new byte[6 + payload.length];
            frame[0] = (byte) (0x80 | opcode);
            frame[1] = (byte) (0x80 | payload.length);
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            System.arraycopy(mask, 0, frame, 2, 4);
            for (int i = 0; i < payload.length; i++) {
                frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
            }
            try {
                channel.write(ByteBuffer.wrap(frame));
            } catch (IOException e) {
                end(-1);
            }
        }

        private void end(int code) {
            if (!done) {
                done = true;
                drop();
                handler.closed(code);
            }
        }

        void drop() {
            try {
                channel.close();
            } catch (IOException e) {
                // gone either way
            }
        }
    }
}
