package io.hubbletopology.ingest.replay;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a text, each at most a set number of characters: a longer line is read to its end and skipped
 * without being held in memory, so a file or stdin with a huge line (a corrupt file, a binary piped in by
 * mistake) costs no more memory than a normal one. Lines end at {@code \n}; a {@code \r} before it is dropped.
 */
final class BoundedLineReader {

    /** A line longer than the limit, already skipped; reading goes on with the next line. */
    static final class LineTooLongException extends Exception {
        LineTooLongException(int limit) {
            super("line longer than " + limit + " characters");
        }
    }

    private final Reader in;
    private final int limit;
    private final char[] buffer = new char[8_192];
    private int position;
    private int length;

    BoundedLineReader(Reader in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The next line, or null at the end of the text. */
    String readLine() throws IOException, LineTooLongException {
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (position == length) {
                length = in.read(buffer);
                position = 0;
                if (length <= 0) {
                    length = 0;
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int start = position;
            while (position < length && buffer[position] != '\n') {
                position++;
            }
            if (!tooLong) {
                line.append(buffer, start, position - start);
                if (line.length() > limit + 1) {
                    // Keep nothing more of it: the rest is only read to find where the next line starts.
                    tooLong = true;
                    line.setLength(0);
                }
            }
            if (position < length) {
                position++;
                break;
            }
        }
        if (tooLong) {
            throw new LineTooLongException(limit);
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        if (line.length() > limit) {
            throw new LineTooLongException(limit);
        }
        return line.toString();
    }
}
