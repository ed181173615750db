package io.hubbletopology.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    private static BoundedLineReader reader(String text, int limit) {
        return new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limit, () -> { });
    }

    /** The next line as text, or null at the end. */
    private static String next(BoundedLineReader lines) throws Exception {
        return lines.next() ? new String(lines.bytes(), lines.offset(), lines.length(), StandardCharsets.UTF_8) : null;
    }

    @Test
    void readsLinesEndingInNewlinesCarriageReturnsOrTheEnd() throws Exception {
        BoundedLineReader lines = reader("one\ntwo\r\n\nthree", 10);
        assertThat(next(lines)).isEqualTo("one");
        assertThat(next(lines)).isEqualTo("two");
        assertThat(next(lines)).isEmpty();
        assertThat(next(lines)).isEqualTo("three");
        assertThat(next(lines)).isNull();
    }

    @Test
    void aLineOverTheLimitIsSkippedAndTheNextOneRead() throws Exception {
        BoundedLineReader lines = reader("0123456789\n01234567890\nok", 10);
        assertThat(next(lines)).isEqualTo("0123456789");
        assertThatThrownBy(lines::next).isInstanceOf(BoundedLineReader.LineTooLongException.class)
                .hasMessageContaining("longer than 10");
        assertThat(next(lines)).isEqualTo("ok");
    }

    @Test
    void linesSpanningReadsAreGatheredWhole() throws Exception {
        // Two bytes per read: every line crosses reads, the multi-byte characters too.
        byte[] text = "first line\r\nsecond: caf\u00e9 \u2603\nthird".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(text) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 2));
            }
        };
        BoundedLineReader lines = new BoundedLineReader(trickle, 100, () -> { });
        assertThat(next(lines)).isEqualTo("first line");
        assertThat(next(lines)).isEqualTo("second: caf\u00e9 \u2603");
        assertThat(next(lines)).isEqualTo("third");
        assertThat(next(lines)).isNull();
    }

    @Test
    void whatWasReadIsHandedOnBeforeWaitingForMoreInput() throws Exception {
        // A pipe that has given "a\nb" and has nothing more yet: the caller hears of it before the read that waits.
        int[] calls = new int[1];
        InputStream pipe = new ByteArrayInputStream("a\nb".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int available() {
                return 0;
            }
        };
        BoundedLineReader lines = new BoundedLineReader(pipe, 10, () -> calls[0]++);
        assertThat(next(lines)).isEqualTo("a");
        assertThat(calls[0]).as("before the first read").isEqualTo(1);
        assertThat(next(lines)).as("the end of the input ends the line").isEqualTo("b");
        assertThat(calls[0]).as("before the read that found the end").isEqualTo(2);
    }

    @Test
    void anEndlessLineIsReadThroughWithoutBeingKept() throws Exception {
        // 64 MB of one line, produced on the fly.
        long size = 64L << 20;
        InputStream endless = new InputStream() {
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'x');
                left -= n;
                if (left == 0) {
                    buffer[offset + n - 1] = '\n';
                }
                return n;
            }
        };
        BoundedLineReader lines = new BoundedLineReader(endless, 1_000, () -> { });
        Runtime runtime = Runtime.getRuntime();
        long before = runtime.totalMemory() - runtime.freeMemory();
        assertThatThrownBy(lines::next).isInstanceOf(BoundedLineReader.LineTooLongException.class);
        long after = runtime.totalMemory() - runtime.freeMemory();
        assertThat(after - before).as("bytes kept while skipping the line").isLessThan(32L << 20);
        assertThat(lines.next()).isFalse();
    }
}
