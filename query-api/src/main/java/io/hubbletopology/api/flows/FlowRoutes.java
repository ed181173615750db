package io.hubbletopology.api.flows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.google.protobuf.InvalidProtocolBufferException;

import io.hubbletopology.api.TimeRange;
import io.hubbletopology.api.live.FeedUpdate;
import io.hubbletopology.api.live.LiveEndpoint;
import io.hubbletopology.api.live.LiveFeed;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.errors.BeyondRetentionException;
import io.hubbletopology.processor.errors.BusyException;
import io.hubbletopology.processor.query.FlowHistory;
import io.hubbletopology.processor.query.TopicFollower;
import io.hubbletopology.records.FlowRecord;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Raw flows on demand: {@code GET /api/v1/flows} answers from the flows topic (history as long as its
 * retention, far beyond Hubble's ring buffer) and {@code /ws/flows} tails matching flows live.
 */
public final class FlowRoutes implements AutoCloseable {

    /** The most flows one page may hold. */
    public static final int MAX_LIMIT = 1_000;
    private static final int DEFAULT_LIMIT = 100;
    private static final Duration DEFAULT_RANGE = Duration.ofMinutes(15);

    private final FlowSearch search;
    private final LiveFeed tail;
    private final TopicFollower follower;
    private final Clock clock;
    private final Counter queries;
    private final Counter truncated;
    private final Counter busy;
    private final DistributionSummary scannedPerQuery;
    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    public FlowRoutes(FlowHistory history, LiveFeed tail, MeterRegistry registry, Clock clock, FlowQueryBounds bounds) {
        this.search = new FlowSearch(history.consumerProperties(), history.topic(), 4, 2_000, bounds);
        this.tail = tail;
        this.clock = clock;
        this.follower = history.tail(this::onFlow);
        this.queries = Counter.builder("hubble_topology_flow_queries").description("Flow queries served").register(registry);
        this.truncated = Counter.builder("hubble_topology_flow_queries_truncated")
                .description("Flow queries cut short by api.flows.max_scanned or api.flows.max_duration").register(registry);
        this.busy = Counter.builder("hubble_topology_flow_queries_busy")
                .description("Flow queries refused with 503 because every reader stayed busy for api.flows.pool_wait").register(registry);
        this.scannedPerQuery = DistributionSummary.builder("hubble_topology_flow_query_records_scanned")
                .description("Records read from the flows topic per flow query").register(registry);
    }

    /** The search behind the REST query, for tests that need its readers taken. */
    public FlowSearch search() {
        return search;
    }

    public void start() {
        follower.start("flow-tail");
    }

    /** True once the live tail follows the flows topic. */
    public boolean following() {
        return follower.following();
    }

    private void onFlow(ConsumerRecord<String, byte[]> record) {
        if (tail.clientCount() == 0 || record.value() == null) {
            return;
        }
        FlowRecord flow;
        try {
            flow = FlowRecord.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a flow record", e);
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "flow");
        message.putAll(FlowView.of(flow));
        tail.publish(new FeedUpdate(record.partition() + "@" + record.offset(), FeedUpdate.Kind.FLOW, () -> write(message),
                java.util.Set.of(), java.util.Set.of(), "", 0, flow));
    }

    /** The /ws/flows endpoint: the same filters as the REST query, no snapshot. */
    public LiveEndpoint liveEndpoint(Duration heartbeat) {
        return new LiveEndpoint(tail, heartbeat, FlowRoutes::liveFilter, List::of);
    }

    /** The /ws/flows client's filter from its parameters; a bad one is a BadParameterException naming it. */
    public static Predicate<FeedUpdate> liveFilter(Function<String, String> params) {
        FlowFilter filter = FlowFilter.parse(params);
        return update -> update.flow() != null && filter.matches(update.flow());
    }

    /** GET /api/v1/flows */
    public Map<String, Object> query(Context ctx) throws InterruptedException {
        Instant now = clock.instant();
        Instant until = time("until", ctx.queryParam("until"), now, now);
        Instant since = time("since", ctx.queryParam("since"), now, TimeRange.notBeforeEarliest(until, DEFAULT_RANGE));
        if (since.isAfter(until)) {
            throw new BadParameterException("since", "since must not be after until");
        }
        int limit = limit(ctx.queryParam("limit"));
        String order = ctx.queryParam("order") == null ? "newest" : ctx.queryParam("order");
        if (!order.equals("newest") && !order.equals("oldest")) {
            throw new BadParameterException("order", "'" + order + "' is not newest or oldest");
        }
        FlowFilter filter = FlowFilter.parse(HubbleFlags.parameters(ctx));
        String format = ctx.queryParam("format") == null ? "lean" : ctx.queryParam("format");
        if (!format.equals("lean") && !format.equals("hubble")) {
            throw new BadParameterException("format", "'" + format + "' is not lean or hubble");
        }
        FlowPage page;
        try {
            page = search.search(new FlowQuery(since, until, limit, order.equals("newest"), filter, ctx.queryParam("cursor")));
        } catch (BusyException e) {
            busy.increment();
            throw e;
        }
        queries.increment();
        if (page.truncatedBy() != null) {
            truncated.increment();
        }
        scannedPerQuery.record(page.scanned());

        if (page.earliestAvailable() != null && until.isBefore(page.earliestAvailable()) && page.flows().isEmpty()) {
            throw new BeyondRetentionException(since, until, page.earliestAvailable());
        }
        List<Object> flows = new ArrayList<>();
        page.flows().forEach(f -> flows.add(format.equals("hubble") ? FlowView.hubble(f) : FlowView.of(f)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("since", since.toString());
        body.put("until", until.toString());
        // Read from every partition of the flows topic (a partition that did not hand over its records is a 503),
        // so a page is never partial; it may be truncated by the bounds, which it says below.
        body.put("as_of", now.toString());
        body.put("partial", false);
        body.put("order", order);
        body.put("count", flows.size());
        body.put("flows", flows);
        body.put("next_cursor", page.nextCursor());
        body.put("scanned", page.scanned());
        body.put("truncated", page.truncatedBy() != null);
        if (page.truncatedBy() != null) {
            body.put("truncated_reason", page.truncatedBy().label());
        }
        body.put("earliest_available", page.earliestAvailable() == null ? null : page.earliestAvailable().toString());
        List<String> warnings = new ArrayList<>();
        if (page.earliestAvailable() != null && since.isBefore(page.earliestAvailable())) {
            warnings.add("flows before " + page.earliestAvailable() + " are past the flows topic's retention: the range is incomplete");
        }
        if (page.truncatedBy() != null) {
            warnings.add("the query stopped at api.flows." + page.truncatedBy().label() + " with the range not read to its end: "
                    + "next_cursor goes on from there");
        }
        body.put("warnings", warnings);
        return body;
    }

    /** An RFC 3339 time, or a duration before now in the grammar of the settings (15m, 2h, 1d). */
    static Instant time(String name, String value, Instant now, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim();
        // trim() also strips control characters isBlank() does not count as blank: "%00" leaves nothing.
        if (v.isEmpty()) {
            throw new BadParameterException(name, "'" + value + "' is neither an RFC 3339 time nor a duration like 15m");
        }
        if (Character.isDigit(v.charAt(0)) && !v.contains("T")) {
            return TimeRange.before(name, now, TimeRange.duration(name, v));
        }
        if (!v.contains("T")) {
            throw new BadParameterException(name, "'" + value + "' is neither an RFC 3339 time nor a duration like 15m");
        }
        return TimeRange.instant(name, v);
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1 || n > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadParameterException("limit", "'" + value + "' is not a number within 1.." + MAX_LIMIT);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        follower.close();
        search.close();
    }
}
