package io.hubbletopology.ingest.replay;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a byte stream, each at most a set number of bytes: a longer line is read to its end and skipped
 * without being held in memory, so a file or stdin with a huge line (a corrupt file, a binary piped in by
 * mistake) costs no more memory than a normal one. Lines end at {@code \n}; a {@code \r} before it is dropped.
 * Lines stay bytes (no {@code String} per line): the JSON parser reads them as they are.
 *
 * <pre>{@code
 * BoundedLineReader lines = new BoundedLineReader(in, 1 << 20, () -> { });
 * while (lines.next()) {
 *     parse(lines.bytes(), lines.offset(), lines.length());
 * }
 * }</pre>
 */
final class BoundedLineReader {

    /** A line longer than the limit, already skipped; reading goes on with the next line. */
    static final class LineTooLongException extends Exception {
        LineTooLongException(int limit) {
            super("line longer than " + limit + " bytes");
        }
    }

    /** What the caller does before the reader may wait for input. */
    @FunctionalInterface
    interface BeforeWaiting {
        void run() throws IOException;
    }

    // Whole reads of a file; a pipe gives what it has.
    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final int limit;
    private final BeforeWaiting beforeWaiting;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int length;
    // A line that spans reads is gathered here; one that lies in the buffer is handed out from there.
    private byte[] carried = new byte[8_192];
    private byte[] lineBytes;
    private int lineOffset;
    private int lineLength;

    /**
     * @param beforeWaiting called before a read of {@code in} that may wait for input (none is available), so
     *                      that the caller can hand on what it holds first: a pause in the input delays nothing
     */
    BoundedLineReader(InputStream in, int limit, BeforeWaiting beforeWaiting) {
        this.in = in;
        this.limit = limit;
        this.beforeWaiting = beforeWaiting;
    }

    /** Reads the next line ({@link #bytes()}, {@link #offset()}, {@link #length()}); false at the end of the input. */
    boolean next() throws IOException, LineTooLongException {
        shrink();
        int carriedLength = 0;
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == length && !fill()) {
                if (!any) {
                    return false;
                }
                break;
            }
            any = true;
            int start = position;
            int newline = indexOfNewline(start);
            position = newline < 0 ? length : newline;
            int piece = position - start;
            if (newline >= 0 && carriedLength == 0 && !tooLong) {
                // The whole line is in the buffer: no copy.
                position++;
                return line(buffer, start, piece);
            }
            if (!tooLong) {
                if (carriedLength + piece > limit + 1) {
                    // Keep nothing more of it: the rest is only read to find where the next line starts.
                    tooLong = true;
                    carriedLength = 0;
                } else {
                    ensureCarried(carriedLength + piece);
                    System.arraycopy(buffer, start, carried, carriedLength, piece);
                    carriedLength += piece;
                }
            }
            if (newline >= 0) {
                position++;
                break;
            }
        }
        if (tooLong) {
            throw new LineTooLongException(limit);
        }
        return line(carried, 0, carriedLength);
    }

    /** The array holding the line read last; valid until the next call of {@link #next()}. */
    byte[] bytes() {
        return lineBytes;
    }

    int offset() {
        return lineOffset;
    }

    int length() {
        return lineLength;
    }

    private boolean line(byte[] bytes, int offset, int count) throws LineTooLongException {
        if (count > 0 && bytes[offset + count - 1] == '\r') {
            count--;
        }
        if (count > limit) {
            throw new LineTooLongException(limit);
        }
        lineBytes = bytes;
        lineOffset = offset;
        lineLength = count;
        return true;
    }

    private int indexOfNewline(int from) {
        for (int i = from; i < length; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean fill() throws IOException {
        if (in.available() <= 0) {
            beforeWaiting.run();
        }
        int n = in.read(buffer);
        position = 0;
        length = Math.max(n, 0);
        return n > 0;
    }

    private void ensureCarried(int size) {
        if (size > carried.length) {
            carried = Arrays.copyOf(carried, Math.min(Math.max(size, carried.length * 2), limit + 1));
        }
    }

    /** After a long line, gives back what it took, so that one long line does not hold its size for the rest of the input. */
    private void shrink() {
        if (carried.length > BUFFER_BYTES) {
            carried = new byte[8_192];
        }
    }
}
