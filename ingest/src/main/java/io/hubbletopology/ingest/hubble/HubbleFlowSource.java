package io.hubbletopology.ingest.hubble;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Timestamp;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.hubble.observer.ObserverGrpc;
import io.hubbletopology.records.FlowRecord;

/**
 * Follows Hubble's {@code GetFlows} stream and hands every new flow to a {@link FlowSink}, forever: on any
 * stream error or end it reconnects with capped exponential backoff and jitter, asks for what it missed
 * ({@code since} the last flow it saw) and drops flows it already handed on.
 *
 * <pre>{@code
 * HubbleFlowSource source = new HubbleFlowSource(HubbleSourceSettings.of("127.0.0.1:4245"), "node-1", publisher::publish);
 * source.start();
 * ...
 * source.close();
 * }</pre>
 *
 * The stream is read on one thread with the blocking stub: when the sink blocks (Kafka is slow), gRPC flow
 * control stops the server from sending more, so memory stays bounded.
 */
public final class HubbleFlowSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HubbleFlowSource.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    // Ask again from a little before the newest flow seen: Relay merges nodes slightly out of time order.
    private static final long RESUME_OVERLAP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final HubbleSourceSettings settings;
    private final String fallbackNode;
    private final FlowSink sink;
    private final SeenFlows seen = new SeenFlows(100_000);
    private final AtomicLong flowsRead = new AtomicLong();
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private final AtomicLong lostEvents = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final ManagedChannel channel;
    private volatile Context.CancellableContext call;
    private volatile boolean running;
    private volatile boolean connected;
    private Thread thread;

    public HubbleFlowSource(HubbleSourceSettings settings, String fallbackNode, FlowSink sink) {
        this.settings = settings;
        this.fallbackNode = fallbackNode;
        this.sink = sink;
        this.channel = NettyChannelBuilder.forTarget(settings.target().grpcTarget())
                .usePlaintext()
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "hubble-source");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            long before = flowsRead.get();
            try {
                follow();
                if (running) {
                    log.warn("Hubble {} ended the flow stream; reconnecting", settings.target().display());
                }
            } catch (StatusRuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("Hubble {} stream failed: {}; reconnecting in {} ms", settings.target().display(),
                        describe(e.getStatus()), backoff.toMillis());
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.error("Flow stream from Hubble {} stopped on an unexpected error; reconnecting", settings.target().display(), e);
            }
            connected = false;
            if (flowsRead.get() > before) {
                backoff = FIRST_BACKOFF;
            }
            if (!sleep(jitter(backoff))) {
                break;
            }
            backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
            reconnects.incrementAndGet();
        }
        connected = false;
    }

    private void follow() {
        GetFlowsRequest request = request();
        Context.CancellableContext context = Context.current().withCancellation();
        call = context;
        try {
            context.run(() -> {
                Iterator<GetFlowsResponse> responses = ObserverGrpc.newBlockingStub(channel).getFlows(request);
                connected = true;
                log.info("Following flows from Hubble {}{}", settings.target().display(),
                        request.hasSince() ? " since " + request.getSince().getSeconds() : "");
                while (running && responses.hasNext()) {
                    handle(responses.next());
                }
            });
        } finally {
            context.cancel(null);
        }
    }

    GetFlowsRequest request() {
        GetFlowsRequest.Builder request = GetFlowsRequest.newBuilder().setFollow(true);
        long latest = seen.latestNanos();
        if (latest > 0) {
            long since = latest - RESUME_OVERLAP_NANOS;
            request.setSince(Timestamp.newBuilder().setSeconds(since / 1_000_000_000L).setNanos((int) (since % 1_000_000_000L)));
        }
        FlowFilter.Builder keep = FlowFilter.newBuilder().addAllVerdict(settings.verdicts());
        if (!settings.includeReplies()) {
            keep.addReply(false);
        }
        FlowFilter whitelist = keep.build();
        if (!whitelist.equals(FlowFilter.getDefaultInstance())) {
            request.addWhitelist(whitelist);
        }
        if (!settings.excludedPods().isEmpty()) {
            request.addBlacklist(FlowFilter.newBuilder().addAllSourcePod(settings.excludedPods()));
            request.addBlacklist(FlowFilter.newBuilder().addAllDestinationPod(settings.excludedPods()));
        }
        return request.build();
    }

    private void handle(GetFlowsResponse response) {
        switch (response.getResponseTypesCase()) {
            case FLOW -> {
                FlowRecord record = FlowRecords.fromHubble(response.getFlow(),
                        response.getNodeName().isEmpty() ? fallbackNode : response.getNodeName());
                if (seen.firstTime(record)) {
                    flowsRead.incrementAndGet();
                    sink.accept(record);
                } else {
                    duplicatesDropped.incrementAndGet();
                }
            }
            case LOST_EVENTS -> {
                long lost = response.getLostEvents().getNumEventsLost();
                if (lostEvents.getAndAdd(lost) == 0) {
                    log.warn("Hubble {} reports {} lost events ({})", settings.target().display(), lost,
                            response.getLostEvents().getSource());
                }
            }
            case NODE_STATUS -> log.info("Hubble node status: {} {}", response.getNodeStatus().getStateChange(),
                    response.getNodeStatus().getNodeNamesList());
            default -> { }
        }
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
    }

    private static Duration jitter(Duration d) {
        double factor = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis((long) (d.toMillis() * factor));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean connected() {
        return connected;
    }

    public long flowsRead() {
        return flowsRead.get();
    }

    public long duplicatesDropped() {
        return duplicatesDropped.get();
    }

    public long lostEvents() {
        return lostEvents.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        Context.CancellableContext c = call;
        if (c != null) {
            c.cancel(null);
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
