package io.hubbletopology.ingest.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.flowfilter.FlowFilterMatcher;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.ingest.hubble.FlowSink;
import io.hubbletopology.ingest.hubble.LostEvents;
import io.hubbletopology.records.LostEventsRecord;
import io.hubbletopology.threads.DaemonThreads;

/**
 * Replays {@code hubble observe -o json} output or Hubble exporter files, one JSON object per line, into the
 * same sinks as a live Hubble. A line that cannot be used is counted and reported with its number, and the
 * replay goes on. Reading stdin ({@code -}) follows it until EOF, so
 * {@code hubble observe -o json --follow | java -jar hubble-topology.jar ingest --replay -} streams.
 * The filters of the live source (verdicts, excluded pods, replies) apply here too, on the agent's side.
 *
 * <pre>{@code
 * ReplaySource replay = ReplaySource.open("flows.json", filters, "node-1", publisher::publish, publisher::publish, metrics);
 * ReplayResult result = replay.run();
 * }</pre>
 */
public final class ReplaySource {

    private static final Logger log = LoggerFactory.getLogger(ReplaySource.class);
    private static final int REPORTED_LINE_NUMBERS = 100;
    // Hubble's JSON lines are a few kilobytes; a line this long is not one, and is skipped unread.
    static final int MAX_LINE_CHARS = 1 << 20;

    private final String name;
    private final InputStream input;
    private final FlowFilterMatcher filters;
    private final String fallbackNode;
    private final FlowSink flows;
    private final Consumer<LostEventsRecord> lost;
    private final IngestMetrics metrics;
    private final CompletableFuture<ReplayResult> done = new CompletableFuture<>();

    /**
     * @param name  what to call the input in logs (the file, or "stdin")
     * @param whitelist,blacklist  Hubble filters, applied as Hubble would
     */
    public ReplaySource(String name, InputStream input, List<FlowFilter> whitelist, List<FlowFilter> blacklist,
                        String fallbackNode, FlowSink flows, Consumer<LostEventsRecord> lost, IngestMetrics metrics) {
        this.name = name;
        this.input = input;
        // Compiled once: compiling them for every flow cost more than parsing the line.
        this.filters = FlowFilterMatcher.of(whitelist, blacklist);
        this.fallbackNode = fallbackNode;
        this.flows = flows;
        this.lost = lost;
        this.metrics = metrics;
    }

    /** Opens a file, or stdin for "-". */
    public static InputStream open(String file) {
        if ("-".equals(file)) {
            return System.in;
        }
        try {
            return Files.newInputStream(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replays on a thread of its own; {@link #done()} completes at the end of the input. */
    public void start() {
        DaemonThreads.start("replay", () -> {
            try {
                done.complete(run());
            } catch (RuntimeException e) {
                log.error("Replay of {} stopped: {}", name, e.toString());
                done.completeExceptionally(e);
            }
        });
    }

    public CompletableFuture<ReplayResult> done() {
        return done;
    }

    /**
     * Reads to the end of the input. The lines are read and parsed on a thread of their own ({@link ParsedLines})
     * while this one filters, converts and hands on the flows parsed before: two cores share a replay.
     */
    public ReplayResult run() {
        long lineNumber = 0;
        long flowCount = 0;
        long filtered = 0;
        long lostReports = 0;
        long malformed = 0;
        List<Long> badLines = new ArrayList<>();
        try (ParsedLines lines = ParsedLines.start(input, MAX_LINE_CHARS)) {
            while (true) {
                ParsedLines.Batch batch = lines.take();
                for (int i = 0; i < batch.size(); i++) {
                    lineNumber++;
                    String problem = batch.problem(i);
                    if (problem != null) {
                        malformed++;
                        metrics.replayMalformedLines().increment();
                        if (badLines.size() < REPORTED_LINE_NUMBERS) {
                            badLines.add(lineNumber);
                            log.warn("Replay {} line {}: skipped, {}", name, lineNumber, problem);
                        }
                        continue;
                    }
                    GetFlowsResponse response = batch.response(i);
                    if (response == null) {
                        continue;
                    }
                    String node = response.getNodeName().isEmpty() ? fallbackNode : response.getNodeName();
                    switch (response.getResponseTypesCase()) {
                        case FLOW -> {
                            metrics.flowsRead().increment();
                            if (filters.test(response.getFlow())) {
                                flows.accept(FlowRecords.fromHubble(response.getFlow(), node));
                                flowCount++;
                            } else {
                                metrics.flowsFiltered().increment();
                                filtered++;
                            }
                        }
                        case LOST_EVENTS -> {
                            metrics.lostEvents().increment(response.getLostEvents().getNumEventsLost());
                            metrics.lostEventReports().increment();
                            lost.accept(LostEvents.record(response.getLostEvents(), node, "replay:" + name));
                            lostReports++;
                        }
                        case NODE_STATUS -> metrics.nodeStatusEvents().increment();
                        default -> { }
                    }
                }
                if (batch.end()) {
                    failIfFailed(batch.failure(), lineNumber + 1);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay of " + name + " interrupted at line " + (lineNumber + 1), e);
        }
        ReplayResult result = new ReplayResult(lineNumber, flowCount, filtered, lostReports, malformed, badLines);
        log.info("Replay of {} done: {} lines, {} flows, {} filtered out, {} lost-events reports, {} malformed{}", name,
                lineNumber, flowCount, filtered, lostReports, malformed, malformed == 0 ? "" : " (lines " + badLines + ")");
        return result;
    }

    private void failIfFailed(Throwable failure, long lineNumber) {
        if (failure instanceof IOException e) {
            throw new UncheckedIOException("reading " + name + " failed at line " + lineNumber + ": " + e.getMessage(), e);
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
