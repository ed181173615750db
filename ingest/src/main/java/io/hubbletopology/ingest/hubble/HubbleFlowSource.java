package io.hubbletopology.ingest.hubble;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Timestamp;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.hubbletopology.hubble.flow.LostEvent;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.hubble.observer.ObserverGrpc;
import io.hubbletopology.hubble.observer.ServerStatusRequest;
import io.hubbletopology.hubble.observer.ServerStatusResponse;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.LostEventsRecord;
import io.hubbletopology.threads.DaemonThreads;

/**
 * Follows Hubble's {@code GetFlows} stream and hands every new flow to a {@link FlowSink}, forever: on any
 * stream error or end it reconnects with capped exponential backoff and jitter, asks for what it missed
 * ({@code since} the last flow it saw, or {@code number} from a server that refuses {@code since} with
 * {@code follow}) and drops flows it already handed on.
 *
 * <pre>{@code
 * HubbleFlowSource source = new HubbleFlowSource(HubbleSourceSettings.of("127.0.0.1:4245"), "node-1",
 *         publisher::publish, publisher::publish, metrics);
 * source.start();
 * ...
 * source.close();
 * }</pre>
 *
 * The stream is read on one thread with a bounded window of responses fetched ahead ({@link FlowStreamReader}):
 * when the sink blocks (Kafka is slow), no more are asked for and gRPC flow control stops the server from
 * sending, so memory stays bounded.
 */
public final class HubbleFlowSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HubbleFlowSource.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    // Ask again from a little before the newest flow seen: Relay merges nodes slightly out of time order.
    private static final long RESUME_OVERLAP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final HubbleSourceSettings settings;
    private final String fallbackNode;
    private final FlowSink sink;
    private final Consumer<LostEventsRecord> lostSink;
    private final IngestMetrics metrics;
    private final SeenFlows seen = new SeenFlows(100_000);
    private final HubbleChannels.OpenChannel channel;
    private final Backoff backoff;
    private volatile Context.CancellableContext call;
    private volatile boolean running;
    private volatile boolean connected;
    private volatile long flowsHandedOn;
    // Some Hubble versions refuse since with follow (cilium/hubble#363); once seen, resume by number.
    private volatile boolean resumeByNumber;
    private static final long LOST_BURST_QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);
    private long lastLostNanos;
    private boolean anyLost;
    private String lastFailure;
    private Thread thread;

    public HubbleFlowSource(HubbleSourceSettings settings, String fallbackNode, FlowSink sink,
                            Consumer<LostEventsRecord> lostSink, IngestMetrics metrics) {
        this.settings = settings;
        this.fallbackNode = fallbackNode;
        this.sink = sink;
        this.lostSink = lostSink;
        this.metrics = metrics;
        this.backoff = new Backoff(FIRST_BACKOFF, settings.maxBackoff(), ThreadLocalRandom.current()::nextDouble);
        this.channel = HubbleChannels.open(settings.target(), settings.tls());
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = DaemonThreads.start("hubble-source", this::run);
    }

    private void run() {
        while (running) {
            long before = flowsHandedOn;
            try {
                follow();
                if (running) {
                    failed("ended the flow stream");
                }
            } catch (StatusRuntimeException e) {
                if (!running) {
                    break;
                }
                if (sinceRefused(e)) {
                    continue;
                }
                failed(describe(e));
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.error("Flow stream from Hubble {} stopped on an unexpected error; reconnecting", display(), e);
            }
            connected = false;
            if (flowsHandedOn > before) {
                backoff.reset();
            }
            if (!sleep(backoff.next())) {
                break;
            }
            metrics.reconnects().increment();
        }
        connected = false;
    }

    /** One line per kind of failure, not one per retry: a Relay down for an hour is one line, not 120. */
    private void failed(String what) {
        if (!what.equals(lastFailure)) {
            log.warn("Hubble {}: {}; reconnecting with backoff (up to {} ms), forever", display(), what,
                    settings.maxBackoff().toMillis());
            lastFailure = what;
        } else {
            log.debug("Hubble {} {} again", display(), what);
        }
    }

    private boolean sinceRefused(StatusRuntimeException e) {
        if (resumeByNumber || seen.latestNanos() == 0 || e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
            return false;
        }
        resumeByNumber = true;
        log.warn("Hubble {} refuses 'since' with 'follow' ({}); resuming with the last {} flows instead, "
                + "already sent ones dropped", display(), describe(e), settings.backfill());
        return true;
    }

    private void follow() {
        GetFlowsRequest request = request();
        Context.CancellableContext context = Context.current().withCancellation();
        call = context;
        try {
            FlowStreamReader reader = new FlowStreamReader();
            context.run(() -> {
                probe(ObserverGrpc.newBlockingStub(channel.channel()));
                // Through our marshaller, not the stub's: it keeps each flow's bytes as they arrived.
                ClientCalls.asyncServerStreamingCall(
                        channel.channel().newCall(ArrivedResponseMarshaller.GET_FLOWS, CallOptions.DEFAULT), request, reader);
            });
            reader.readAll(this::handle, () -> running);
        } catch (InterruptedException e) {
            // Closing: run() sees the interrupt when it would back off, and stops.
            Thread.currentThread().interrupt();
        } finally {
            context.cancel(null);
        }
    }

    /** ServerStatus proves the connection (and TLS) works before any flow arrives, for readiness. */
    private void probe(ObserverGrpc.ObserverBlockingStub stub) {
        try {
            ServerStatusResponse status = stub.withDeadlineAfter(10, TimeUnit.SECONDS).serverStatus(ServerStatusRequest.getDefaultInstance());
            log.info("Connected to Hubble {} ({}, {}): {} of {} flows in its buffer; following{}", display(),
                    settings.tls().describe(), status.getVersion(), status.getNumFlows(), status.getMaxFlows(), resumeNote());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw e;
            }
            log.info("Connected to Hubble {} ({}); following{}", display(), settings.tls().describe(), resumeNote());
        }
        connected = true;
        lastFailure = null;
    }

    private String resumeNote() {
        long latest = seen.latestNanos();
        if (latest == 0) {
            return " new flows";
        }
        return resumeByNumber ? " from the last " + settings.backfill() + " flows" : " since " + java.time.Instant.ofEpochSecond(0, resumeFrom(latest));
    }

    private static long resumeFrom(long latestNanos) {
        return latestNanos - RESUME_OVERLAP_NANOS;
    }

    GetFlowsRequest request() {
        GetFlowsRequest.Builder request = GetFlowsRequest.newBuilder().setFollow(true);
        long latest = seen.latestNanos();
        if (latest > 0) {
            if (resumeByNumber) {
                request.setNumber(settings.backfill());
            } else {
                long since = resumeFrom(latest);
                request.setSince(Timestamp.newBuilder().setSeconds(since / 1_000_000_000L).setNanos((int) (since % 1_000_000_000L)));
            }
        }
        request.addAllWhitelist(settings.whitelist()).addAllBlacklist(settings.blacklist());
        return request.build();
    }

    private void handle(ArrivedResponse arrived) {
        GetFlowsResponse response = arrived.response();
        String node = response.getNodeName().isEmpty() ? fallbackNode : response.getNodeName();
        switch (response.getResponseTypesCase()) {
            case FLOW -> {
                metrics.flowsRead().increment();
                FlowRecord record = FlowRecords.fromHubble(response.getFlow(), arrived.flowAsSent(), node);
                if (olderThanResumePoint(record) || !seen.firstTime(record)) {
                    metrics.duplicatesFiltered().increment();
                    return;
                }
                flowsHandedOn++;
                sink.accept(record);
            }
            case LOST_EVENTS -> lost(response.getLostEvents(), node);
            case NODE_STATUS -> {
                metrics.nodeStatusEvents().increment();
                log.info("Hubble {} node status: {} {}{}", display(), response.getNodeStatus().getStateChange(),
                        response.getNodeStatus().getNodeNamesList(),
                        response.getNodeStatus().getMessage().isEmpty() ? "" : " (" + response.getNodeStatus().getMessage() + ")");
            }
            default -> { }
        }
    }

    /** A server resuming by number sends flows from before the resume point again; since would not have. */
    private boolean olderThanResumePoint(FlowRecord record) {
        return resumeByNumber && seen.latestNanos() > 0 && record.getTimeUnixNanos() < resumeFrom(seen.latestNanos());
    }

    private void lost(LostEvent event, String node) {
        metrics.lostEvents().increment(event.getNumEventsLost());
        metrics.lostEventReports().increment();
        long now = System.nanoTime();
        if (!anyLost || now - lastLostNanos > LOST_BURST_QUIET_NANOS) {
            // Hubble repeats lost_events while a reader stays behind: one line per burst, every report counted and published.
            log.warn("Hubble {} reports {} lost events ({}, node {}); further reports within 10 s are counted and published, not logged",
                    display(), event.getNumEventsLost(), event.getSource(), node);
        }
        anyLost = true;
        lastLostNanos = now;
        lostSink.accept(LostEvents.record(event, node, display()));
    }

    private String display() {
        return settings.target().display();
    }

    private static String describe(StatusRuntimeException e) {
        SSLException ssl = sslCause(e);
        if (ssl != null) {
            return "TLS handshake failed: " + rootMessage(ssl) + " (check hubble.tls.ca_file, cert_file and server_name)";
        }
        Status status = e.getStatus();
        return "stream failed: " + status.getCode() + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
    }

    private static SSLException sslCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
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

    /** True while a stream to Hubble is open. */
    public boolean connected() {
        return connected;
    }

    /** True once the server refused since with follow and the source resumes by number. */
    public boolean resumesByNumber() {
        return resumeByNumber;
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
        channel.close();
    }
}
