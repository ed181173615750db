package io.hubbletopology.api.observer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hubbletopology.processor.errors.TopicUnavailableException;
import io.hubbletopology.processor.errors.BusyException;
import io.hubbletopology.api.flows.FlowPage;
import io.hubbletopology.api.flows.FlowQuery;
import io.hubbletopology.api.flows.FlowQueryBounds;
import io.hubbletopology.api.flows.FlowSearch;
import io.hubbletopology.flowfilter.FlowFilterMatcher;
import io.hubbletopology.flowfilter.HubbleFlows;
import io.hubbletopology.flowfilter.InvalidFilterException;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.hubble.observer.GetNamespacesRequest;
import io.hubbletopology.hubble.observer.GetNamespacesResponse;
import io.hubbletopology.hubble.observer.GetNodesRequest;
import io.hubbletopology.hubble.observer.GetNodesResponse;
import io.hubbletopology.hubble.observer.ObserverGrpc;
import io.hubbletopology.hubble.observer.ServerStatusRequest;
import io.hubbletopology.hubble.observer.ServerStatusResponse;
import io.hubbletopology.processor.query.FlowHistory;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.threads.DaemonThreads;

/**
 * Hubble's Observer service answered from the flows topic, as Relay answers it from the nodes' ring buffers:
 * {@code GetFlows} with since/until, the newest {@code number} (or the oldest, with {@code first}), follow
 * (history, then live from exactly the offsets where history ended), and whitelist/blacklist filters through
 * {@link FlowFilterMatcher}, and {@code field_mask} ({@link FlowFieldMask}). Flows go out oldest first, merged across partitions by time, each response with
 * {@code node_name} and {@code time} as Relay sets them. A call reads at most {@code api.flows.max_scanned}
 * records for {@code api.flows.max_duration} of history and ends RESOURCE_EXHAUSTED, saying where it stopped, when
 * it reaches either; it sends only as fast as the client takes. Methods not declared here answer UNIMPLEMENTED.
 */
final class ObserverService extends ObserverGrpc.ObserverImplBase {

    private static final Logger log = LoggerFactory.getLogger(ObserverService.class);

    /** The most flows one call may ask for by number: they are held to be sent oldest first. */
    static final long MAX_NUMBER = 100_000;
    /** GetFlows calls reading at once; each holds a Kafka consumer and a thread. */
    static final int MAX_CALLS = 16;
    // FlowSearch takes an until; "no until" must still leave room for its nanosecond arithmetic.
    private static final Duration FUTURE = Duration.ofDays(365);

    private final FlowHistory flows;
    private final FlowSearch search;
    private final FlowQueryBounds bounds;
    private final CensusAnswers status;
    private final Duration stallTimeout;
    private final ObserverMetrics metrics;
    private final Clock clock;
    private final Semaphore calls = new Semaphore(MAX_CALLS, true);
    private final ExecutorService workers = Executors.newCachedThreadPool(DaemonThreads.named("observer-getflows"));

    /**
     * @param flows  the flows topic, read by each call from the offsets its range begins at
     * @param search the REST flow search, which GetFlows asks for the newest N (it reads the topic from the end)
     */
    ObserverService(FlowHistory flows, FlowSearch search, FlowQueryBounds bounds, CensusAnswers status, Duration stallTimeout,
                    ObserverMetrics metrics, Clock clock) {
        this.flows = flows;
        this.search = search;
        this.bounds = bounds;
        this.status = status;
        this.stallTimeout = stallTimeout;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void getFlows(GetFlowsRequest request, StreamObserver<GetFlowsResponse> responses) {
        ServerCallStreamObserver<GetFlowsResponse> call = (ServerCallStreamObserver<GetFlowsResponse>) responses;
        FlowFilterMatcher matcher;
        FlowFieldMask mask;
        try {
            checkTime("since", request.hasSince(), request.getSince());
            checkTime("until", request.hasUntil(), request.getUntil());
            if (request.getFirst() && request.getFollow()) {
                throw new InvalidFilterException("first", "first cannot be combined with follow");
            }
            // number is a uint64: Java sees one above 2^63 as negative.
            if (Long.compareUnsigned(request.getNumber(), MAX_NUMBER) > 0) {
                throw new InvalidFilterException("number", Long.toUnsignedString(request.getNumber()) + " is more than " + MAX_NUMBER
                        + " flows; narrow the range with since/until and read it oldest first");
            }
            matcher = FlowFilterMatcher.of(request.getWhitelistList(), request.getBlacklistList());
            mask = FlowFieldMask.of(request.getFieldMask());
        } catch (InvalidFilterException e) {
            metrics.ended(ObserverMetrics.Outcome.INVALID);
            call.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        ReadyGate<GetFlowsResponse> gate = new ReadyGate<>(call, stallTimeout, metrics);
        workers.execute(() -> serve(request, matcher, mask, gate));
    }

    private void serve(GetFlowsRequest request, FlowFilterMatcher matcher, FlowFieldMask mask, ReadyGate<GetFlowsResponse> gate) {
        try {
            if (!calls.tryAcquire(bounds.poolWait().toMillis(), TimeUnit.MILLISECONDS)) {
                gate.fail(Status.RESOURCE_EXHAUSTED.withDescription("all " + MAX_CALLS + " GetFlows readers are busy; try again shortly"),
                        ObserverMetrics.Outcome.BUSY);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        metrics.reading(1);
        try (CallReader reader = new CallReader(flows.consumerProperties(), flows.topic())) {
            new FlowsCall(request, matcher, mask, gate, reader).run();
        } catch (TopicUnavailableException e) {
            gate.fail(Status.UNAVAILABLE.withDescription(e.getMessage()), ObserverMetrics.Outcome.UNAVAILABLE);
        } catch (BusyException e) {
            gate.fail(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()), ObserverMetrics.Outcome.BUSY);
        } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
            gate.fail(Status.CANCELLED.withDescription("the server is stopping"), ObserverMetrics.Outcome.UNAVAILABLE);
        } catch (RuntimeException e) {
            log.error("GetFlows failed", e);
            gate.fail(Status.INTERNAL.withDescription("the call failed; see the server log"), ObserverMetrics.Outcome.FAILED);
        } finally {
            metrics.reading(-1);
            calls.release();
        }
    }

    /** One GetFlows call: its history part, then (with follow) its live part. */
    private final class FlowsCall {
        private final GetFlowsRequest request;
        private final FlowFilterMatcher matcher;
        private final FlowFieldMask mask;
        private final ReadyGate<GetFlowsResponse> gate;
        private final CallReader reader;
        private final long sinceNanos;
        private final long untilNanos;
        private long sent;
        private Instant lastSent;

        FlowsCall(GetFlowsRequest request, FlowFilterMatcher matcher, FlowFieldMask mask, ReadyGate<GetFlowsResponse> gate,
                  CallReader reader) {
            this.request = request;
            this.matcher = matcher;
            this.mask = mask;
            this.gate = gate;
            this.reader = reader;
            this.sinceNanos = request.hasSince() ? nanos(request.getSince()) : Long.MIN_VALUE;
            this.untilNanos = request.hasUntil() ? nanos(request.getUntil()) : Long.MAX_VALUE;
        }

        void run() throws InterruptedException {
            FlowPage.Truncation cut = null;
            boolean newest = request.getNumber() > 0 && !request.getFirst();
            if (newest) {
                cut = newest();
            } else if (request.getNumber() > 0 || request.hasSince() || request.hasUntil() || !request.getFollow()) {
                cut = oldest();
            }
            if (gate.cancelled() || stalledEnded()) {
                return;
            }
            if (cut != null) {
                gate.fail(Status.RESOURCE_EXHAUSTED.withDescription("stopped at api.flows." + cut.label() + " after reading "
                        + reader.scanned() + " records, before the end of the range; " + resumeHint()), ObserverMetrics.Outcome.BOUNDED);
                return;
            }
            if (request.getFollow()) {
                reader.live(reader.end(), gate::cancelled, r -> {
                    FlowRecord flow = decode(r);
                    if (flow == null) {
                        return true;
                    }
                    if (flow.getTimeUnixNanos() > untilNanos) {
                        return false;
                    }
                    return flow.getTimeUnixNanos() < sinceNanos || offer(HubbleFlows.of(flow));
                });
                if (stalledEnded()) {
                    return;
                }
            }
            gate.complete();
        }

        /** Ends a call whose client took nothing for the stall timeout; false if it did not stall. */
        private boolean stalledEnded() {
            if (!gate.stalled()) {
                return false;
            }
            gate.fail(Status.RESOURCE_EXHAUSTED.withDescription("the client took no flow for " + stallTimeout.toSeconds()
                    + " s (observer.stall_timeout); " + resumeHint()), ObserverMetrics.Outcome.STALLED);
            return true;
        }

        private String resumeHint() {
            return lastSent == null ? "no flow was sent" : "the last flow sent is from " + lastSent + ": ask again from there";
        }

        /** The newest N of the range below the offsets noted at start, found from the end, sent oldest first. */
        private FlowPage.Truncation newest() throws InterruptedException {
            Instant now = clock.instant();
            Instant since = request.hasSince() ? instant(request.getSince()) : Instant.EPOCH;
            Instant until = request.hasUntil() ? instant(request.getUntil()) : now.plus(FUTURE);
            Predicate<FlowRecord> wanted = r -> r.getTimeUnixNanos() >= sinceNanos && r.getTimeUnixNanos() <= untilNanos
                    && matcher.test(HubbleFlows.of(r));
            FlowPage page = search.search(new FlowQuery(since, until, (int) request.getNumber(), true, wanted,
                    FlowSearch.newestBelow(reader.endAtStart())));
            List<FlowRecord> flows = new ArrayList<>(page.flows());
            java.util.Collections.reverse(flows);
            for (FlowRecord f : flows) {
                if (!offer(HubbleFlows.of(f))) {
                    return null;
                }
            }
            // Fewer than asked, cut by a bound: the newest were found, older ones may be missing.
            return flows.size() < request.getNumber() ? page.truncatedBy() : null;
        }

        /** The range oldest first, merged across partitions; with first, only its first N. */
        private FlowPage.Truncation oldest() {
            Map<TopicPartition, Long> from = request.hasSince() ? reader.at(instant(request.getSince())) : reader.beginning();
            Map<TopicPartition, Long> to = request.hasUntil() && !request.getFollow()
                    ? reader.at(instant(request.getUntil()).plusMillis(1)) : reader.end();
            boolean[] full = {false};
            CallReader.Outcome outcome = reader.history(from, to, bounds, r -> {
                FlowRecord flow = decode(r);
                if (flow == null || flow.getTimeUnixNanos() < sinceNanos || flow.getTimeUnixNanos() > untilNanos) {
                    return true;
                }
                if (!offer(HubbleFlows.of(flow))) {
                    return false;
                }
                full[0] = request.getNumber() > 0 && sent >= request.getNumber();
                return !full[0];
            });
            return full[0] ? null : CallReader.truncation(outcome);
        }

        private boolean offer(Flow flow) {
            if (!matcher.test(flow)) {
                return true;
            }
            // Filters saw the whole flow; the answer carries only the masked fields (the response's time and node too).
            if (!gate.send(GetFlowsResponse.newBuilder().setFlow(mask.apply(flow)).setNodeName(flow.getNodeName()).setTime(flow.getTime())
                    .build())) {
                return false;
            }
            sent++;
            lastSent = instant(flow.getTime());
            return true;
        }
    }

    @Override
    public void serverStatus(ServerStatusRequest request, StreamObserver<ServerStatusResponse> responses) {
        status.serverStatus(responses);
    }

    @Override
    public void getNodes(GetNodesRequest request, StreamObserver<GetNodesResponse> responses) {
        status.getNodes(responses);
    }

    @Override
    public void getNamespaces(GetNamespacesRequest request, StreamObserver<GetNamespacesResponse> responses) {
        status.getNamespaces(responses);
    }

    private static FlowRecord decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            return FlowRecord.parseFrom(r.value());
        } catch (InvalidProtocolBufferException e) {
            // Not a flow record (the processor routes those to its dead-letter topic): not a flow to send.
            return null;
        }
    }

    /** A since or until Hubble's CLI could have sent: inside Timestamp's range (years 1 to 9999), nanos in 0..999,999,999. */
    private static void checkTime(String field, boolean set, Timestamp t) {
        if (set && !Timestamps.isValid(t)) {
            throw new InvalidFilterException(field, "not a valid time: seconds " + t.getSeconds() + ", nanos " + t.getNanos()
                    + " (years 1 to 9999, nanos 0 to 999999999)");
        }
    }

    /** Nanoseconds since the epoch, saturated: a year-9999 until is later than every flow, not a wrapped-around past. */
    private static long nanos(Timestamp t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getSeconds(), 1_000_000_000L), t.getNanos());
        } catch (ArithmeticException e) {
            return t.getSeconds() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    void close() {
        workers.shutdownNow();
    }
}
