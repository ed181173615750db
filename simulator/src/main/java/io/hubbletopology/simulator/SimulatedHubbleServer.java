package io.hubbletopology.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.LostEvent;
import io.hubbletopology.hubble.flow.LostEventSource;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.hubble.observer.ObserverGrpc;
import io.hubbletopology.hubble.observer.ServerStatusRequest;
import io.hubbletopology.hubble.observer.ServerStatusResponse;
import io.hubbletopology.threads.DaemonThreads;

/**
 * A Hubble server for demos and tests that speaks Hubble's real gRPC protocol ({@code observer.Observer})
 * over a real socket. Flows come from a generator at a set rate into a ring buffer like Hubble's; each
 * {@code GetFlows} call is served from it: {@code since} or the last {@code number} flows first, then new flows
 * while {@code follow} is set. A client that falls further behind than the ring holds gets a
 * {@code lost_events} response, as from a real Hubble. It listens on TCP or a unix socket, plaintext, TLS or
 * mTLS, and can refuse {@code since} with {@code follow} as some Hubble versions do.
 *
 * <pre>{@code
 * try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().flowsPerSecond(200).start()) {
 *     String address = "127.0.0.1:" + hubble.port();
 * }
 * }</pre>
 */
public final class SimulatedHubbleServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedHubbleServer.class);

    private final FlowRing ring;
    private final Server server;
    private final ExecutorService streams = Executors.newCachedThreadPool(DaemonThreads.named("hubble-sim-stream"));
    private final Thread generator;
    private final LongFunction<Flow> source;
    private volatile double flowsPerSecond;
    private volatile long rateChanges;
    private final long maxFlows;
    private final AtomicInteger followers = new AtomicInteger();
    private final AtomicLong emitted = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final List<GetFlowsRequest> requests = new CopyOnWriteArrayList<>();
    private final boolean refuseSinceWithFollow;
    private final EventLoopGroup socketLoop;
    private volatile boolean running = true;
    private volatile boolean paused;

    private SimulatedHubbleServer(Builder b) throws IOException {
        this.ring = new FlowRing(b.ringCapacity);
        b.preload.forEach(ring::add);
        this.emitted.set(b.preload.size());
        this.source = b.source;
        this.flowsPerSecond = b.flowsPerSecond;
        this.maxFlows = b.maxFlows;
        this.paused = b.startPaused;
        this.refuseSinceWithFollow = b.refuseSinceWithFollow;
        NettyServerBuilder builder;
        if (b.unixSocket != null) {
            socketLoop = new EpollEventLoopGroup(1);
            builder = NettyServerBuilder.forAddress(new DomainSocketAddress(b.unixSocket.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(socketLoop)
                    .workerEventLoopGroup(socketLoop);
        } else {
            socketLoop = null;
            builder = NettyServerBuilder.forAddress(new InetSocketAddress(b.host, b.port));
        }
        if (b.certChain != null) {
            SslContextBuilder ssl = GrpcSslContexts.forServer(b.certChain.toFile(), b.privateKey.toFile());
            if (b.clientCa != null) {
                ssl.trustManager(b.clientCa.toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            builder.sslContext(ssl.build());
        }
        this.server = builder.addService(new Observer()).build().start();
        this.generator = DaemonThreads.start("hubble-sim-generator", this::generate);
        log.info("Simulated Hubble server on {} ({} flows/s{})", b.unixSocket != null ? "unix://" + b.unixSocket : b.host + ":" + port(),
                flowsPerSecond, b.certChain == null ? "" : b.clientCa == null ? ", TLS" : ", mTLS");
    }

    /** Every GetFlows request received so far, in order: what a client asked for, filters included. */
    public List<GetFlowsRequest> requests() {
        return List.copyOf(requests);
    }

    /** The flows the ring holds now, oldest first: to start another server "after a restart" with them. */
    public List<Flow> ringContents() {
        List<Flow> flows = new ArrayList<>();
        for (long seq = ring.oldest(), end = ring.next(); seq < end; seq++) {
            Flow f = ring.get(seq);
            if (f != null) {
                flows.add(f);
            }
        }
        return flows;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The TCP port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** How many flows the generator has put into the ring so far. */
    public long emitted() {
        return emitted.get();
    }

    /** How many GetFlows calls are following right now. */
    public int followers() {
        return followers.get();
    }

    /**
     * Changes the rate from now on, e.g. to raise the load step by step; flows not yet due at the old rate are
     * not made up for.
     */
    public void flowsPerSecond(double rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("flowsPerSecond must be positive");
        }
        flowsPerSecond = rate;
        rateChanges++;
    }

    /** Starts (or resumes) generating flows. */
    public void resume() {
        paused = false;
    }

    private void generate() {
        long produced = 0;
        long tick = Duration.ofMillis(10).toNanos();
        long start = System.nanoTime();
        long rateSeen = rateChanges;
        while (running && (maxFlows <= 0 || emitted.get() < maxFlows)) {
            if (rateSeen != rateChanges) {
                rateSeen = rateChanges;
                start = System.nanoTime();
                produced = 0;
            }
            if (paused) {
                sleepNanos(tick);
                start = System.nanoTime();
                produced = 0;
                continue;
            }
            long due = (long) ((System.nanoTime() - start) / 1e9 * flowsPerSecond);
            long batch = Math.max(0, due - produced);
            if (maxFlows > 0) {
                batch = Math.min(batch, maxFlows - emitted.get());
            }
            for (long i = 0; i < batch; i++) {
                ring.add(source.apply(System.currentTimeMillis() * 1_000_000L + (i % 1_000_000)));
                emitted.incrementAndGet();
            }
            produced += batch;
            if (batch == 0) {
                sleepNanos(tick);
            }
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Observer extends ObserverGrpc.ObserverImplBase {

        @Override
        public void getFlows(GetFlowsRequest request, StreamObserver<GetFlowsResponse> responses) {
            requests.add(request);
            if (refuseSinceWithFollow && request.hasSince() && request.getFollow()) {
                responses.onError(Status.INVALID_ARGUMENT.withDescription("since cannot be combined with follow").asRuntimeException());
                return;
            }
            if (request.getFirst() && request.getFollow()) {
                responses.onError(Status.INVALID_ARGUMENT.withDescription("first cannot be combined with follow").asRuntimeException());
                return;
            }
            ServerCallStreamObserver<GetFlowsResponse> call = (ServerCallStreamObserver<GetFlowsResponse>) responses;
            FlowStream stream = new FlowStream(ring, request, call);
            call.setOnReadyHandler(stream::wakeUp);
            call.setOnCancelHandler(stream::cancel);
            streams.execute(() -> {
                if (request.getFollow()) {
                    followers.incrementAndGet();
                }
                try {
                    stream.run(() -> running);
                } finally {
                    if (request.getFollow()) {
                        followers.decrementAndGet();
                    }
                }
            });
        }

        @Override
        public void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> responses) {
            responses.onNext(ServerStatusResponse.newBuilder()
                    .setNumFlows(ring.size())
                    .setMaxFlows(ring.capacity())
                    .setSeenFlows(emitted.get())
                    .setUptimeNs(System.nanoTime() - startNanos)
                    .setVersion("hubble-topology-simulator")
                    .setFlowsRate(flowsPerSecond)
                    .build());
            responses.onCompleted();
        }
    }

    static GetFlowsResponse lost(long count) {
        return GetFlowsResponse.newBuilder()
                .setLostEvents(LostEvent.newBuilder().setSource(LostEventSource.HUBBLE_RING_BUFFER).setNumEventsLost(count))
                .build();
    }

    /** Stops generating, ends every stream and closes the socket. */
    @Override
    public void close() {
        running = false;
        generator.interrupt();
        server.shutdownNow();
        streams.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            generator.join(2_000);
            if (socketLoop != null) {
                socketLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of a simulated server. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private double flowsPerSecond = 100;
        private long maxFlows;
        private int ringCapacity = 4095;
        private boolean startPaused;
        private LongFunction<Flow> source;
        private Path unixSocket;
        private Path certChain;
        private Path privateKey;
        private Path clientCa;
        private boolean refuseSinceWithFollow;
        private List<Flow> preload = List.of();

        /** Listen on a unix domain socket (Linux, epoll) instead of TCP, like the local agent's hubble.sock. */
        public Builder unixSocket(Path path) {
            this.unixSocket = path;
            return this;
        }

        /** Serve TLS with this PEM certificate chain and PKCS#8 key. */
        public Builder tls(Path certificateChain, Path key) {
            this.certChain = certificateChain;
            this.privateKey = key;
            return this;
        }

        /** Require a client certificate signed by this PEM CA (mTLS); needs {@link #tls}. */
        public Builder requireClientCertificate(Path ca) {
            this.clientCa = ca;
            return this;
        }

        /** Answer INVALID_ARGUMENT to since with follow, as some Hubble versions do (cilium/hubble#363). */
        public Builder refuseSinceWithFollow() {
            this.refuseSinceWithFollow = true;
            return this;
        }

        /** Flows the ring holds at start, e.g. another server's {@link #ringContents()}; they count as emitted. */
        public Builder preload(List<Flow> flows) {
            this.preload = List.copyOf(flows);
            return this;
        }

        public Builder host(String h) {
            this.host = h;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        public Builder flowsPerSecond(double rate) {
            if (rate <= 0) {
                throw new IllegalArgumentException("flowsPerSecond must be positive");
            }
            this.flowsPerSecond = rate;
            return this;
        }

        /** Stop once this many flows (preloaded ones included) are in the ring; 0 (the default) generates forever. */
        public Builder maxFlows(long n) {
            this.maxFlows = n;
            return this;
        }

        /** Hubble's default is 4095; it may be set to 2^n-1 up to 65535. */
        public Builder ringCapacity(int capacity) {
            this.ringCapacity = capacity;
            return this;
        }

        /** Generate nothing until {@link SimulatedHubbleServer#resume()}. */
        public Builder startPaused() {
            this.startPaused = true;
            return this;
        }

        /** Where flows come from; a {@link SyntheticCluster} with seed 42 unless set. */
        public Builder source(LongFunction<Flow> flows) {
            this.source = flows;
            return this;
        }

        public SimulatedHubbleServer start() {
            if (source == null) {
                source = new SyntheticCluster(42)::next;
            }
            try {
                return new SimulatedHubbleServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
            }
        }
    }
}
