package io.hubbletopology.ingest.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.threads.DaemonThreads;

/**
 * The lines of a replay's input, read and parsed on a thread of their own ("replay-read") and handed on in input
 * order, in batches, so that parsing one line overlaps with converting and publishing the ones before it. What is
 * in flight is bounded: a batch closes at {@value #MAX_BATCH_LINES} lines or {@value #MAX_BATCH_BYTES} bytes of
 * them (plus the one line that crossed it, itself bounded), and at most {@value #QUEUED_BATCHES} batches wait;
 * when they do, reading waits too. A batch is also handed on, however small, before reading may wait for input,
 * so a flow written to stdin leaves at once rather than when a batch fills.
 *
 * <pre>{@code
 * try (ParsedLines lines = ParsedLines.start(in, 1 << 20)) {
 *     for (ParsedLines.Batch batch = lines.take(); ; batch = lines.take()) {
 *         ... batch.response(i) or batch.problem(i) for i < batch.size() ...
 *         if (batch.end()) break;
 *     }
 * }
 * }</pre>
 */
final class ParsedLines implements AutoCloseable {

    static final int MAX_BATCH_LINES = 256;
    static final int MAX_BATCH_BYTES = 256 * 1024;
    static final int QUEUED_BATCHES = 4;
    // UTF-8 takes at most three bytes per UTF-16 character (four for a surrogate pair, one per malformed byte).
    private static final int MAX_BYTES_PER_CHAR = 3;

    /** Consecutive lines: for each, the response (null for a blank line) or the reason it was refused. */
    static final class Batch {
        private final GetFlowsResponse[] responses = new GetFlowsResponse[MAX_BATCH_LINES];
        private final String[] problems = new String[MAX_BATCH_LINES];
        private int size;
        private long bytes;
        private boolean end;
        private Throwable failure;

        int size() {
            return size;
        }

        /** The response on the i-th line of the batch; null for a blank or refused line. */
        GetFlowsResponse response(int i) {
            return responses[i];
        }

        /** Why the i-th line was refused, or null. */
        String problem(int i) {
            return problems[i];
        }

        /** The last batch: the input ended after its lines, or reading failed ({@link #failure()}). */
        boolean end() {
            return end;
        }

        /** What stopped the reading (an IOException, or a bug's exception), or null at a plain end of input. */
        Throwable failure() {
            return failure;
        }

        private void add(GetFlowsResponse response, String problem, int lineBytes) {
            responses[size] = response;
            problems[size] = problem;
            size++;
            bytes += lineBytes;
        }

        private boolean full() {
            return size == MAX_BATCH_LINES || bytes >= MAX_BATCH_BYTES;
        }
    }

    private final InputStream input;
    private final int maxLineChars;
    private final BlockingQueue<Batch> handedOn = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Thread reading;
    private volatile boolean stopped;
    private Batch current = new Batch();

    private ParsedLines(InputStream input, int maxLineChars) {
        this.input = input;
        this.maxLineChars = maxLineChars;
        this.reading = DaemonThreads.named("replay-read").newThread(this::read);
    }

    /** Starts reading {@code input} to its end; lines longer than {@code maxLineChars} characters are refused. */
    static ParsedLines start(InputStream input, int maxLineChars) {
        ParsedLines lines = new ParsedLines(input, maxLineChars);
        lines.reading.start();
        return lines;
    }

    /** The next batch, waiting for it; after the one whose {@link Batch#end()} is true there is none. */
    Batch take() throws InterruptedException {
        return handedOn.take();
    }

    private void read() {
        try (input) {
            BoundedLineReader lines = new BoundedLineReader(input, MAX_BYTES_PER_CHAR * maxLineChars, this::handOnSome);
            while (!stopped) {
                GetFlowsResponse response = null;
                String problem = null;
                int bytes = 0;
                try {
                    if (!lines.next()) {
                        break;
                    }
                    bytes = lines.length();
                    response = ReplayLines.parse(lines.bytes(), lines.offset(), bytes, maxLineChars);
                } catch (BoundedLineReader.LineTooLongException e) {
                    problem = ReplayLines.tooLong(maxLineChars).getMessage();
                } catch (MalformedLineException e) {
                    problem = e.getMessage();
                }
                current.add(response, problem, bytes);
                if (current.full()) {
                    handOn();
                }
            }
            current.end = true;
        } catch (IOException | RuntimeException | Error e) {
            if (stopped) {
                return;
            }
            current.end = true;
            current.failure = e;
        }
        if (!stopped) {
            try {
                handOn();
            } catch (InterruptedIOException e) {
                // Stopped while the last batch waited for room: nobody takes it any more.
            }
        }
    }

    /** Before reading may wait for input: what was parsed so far goes on now. */
    private void handOnSome() throws InterruptedIOException {
        if (current.size > 0) {
            handOn();
        }
    }

    private void handOn() throws InterruptedIOException {
        try {
            handedOn.put(current);
        } catch (InterruptedException e) {
            throw new InterruptedIOException("replay stopped");
        }
        current = new Batch();
    }

    /** Stops reading (the taker gave up: a sink failed); the reading thread closes the input when it next wakes. */
    @Override
    public void close() {
        stopped = true;
        reading.interrupt();
    }
}
