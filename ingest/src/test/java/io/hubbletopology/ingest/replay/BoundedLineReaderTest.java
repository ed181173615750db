package io.hubbletopology.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.io.StringReader;

import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    @Test
    void readsLinesEndingInNewlinesCarriageReturnsOrTheEnd() throws Exception {
        BoundedLineReader lines = new BoundedLineReader(new StringReader("one\ntwo\r\n\nthree"), 10);
        assertThat(lines.readLine()).isEqualTo("one");
        assertThat(lines.readLine()).isEqualTo("two");
        assertThat(lines.readLine()).isEmpty();
        assertThat(lines.readLine()).isEqualTo("three");
        assertThat(lines.readLine()).isNull();
    }

    @Test
    void aLineOverTheLimitIsSkippedAndTheNextOneRead() throws Exception {
        BoundedLineReader lines = new BoundedLineReader(new StringReader("0123456789\n01234567890\nok"), 10);
        assertThat(lines.readLine()).isEqualTo("0123456789");
        assertThatThrownBy(lines::readLine).isInstanceOf(BoundedLineReader.LineTooLongException.class)
                .hasMessageContaining("longer than 10");
        assertThat(lines.readLine()).isEqualTo("ok");
    }

    @Test
    void anEndlessLineIsReadThroughWithoutBeingKept() throws Exception {
        // 64 MB of one line, produced on the fly: held whole, it would be 128 MB of chars.
        long size = 64L << 20;
        Reader endless = new Reader() {
            private long left = size;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, 'x');
                left -= n;
                if (left == 0) {
                    buffer[offset + n - 1] = '\n';
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
        BoundedLineReader lines = new BoundedLineReader(endless, 1_000);
        Runtime runtime = Runtime.getRuntime();
        long before = runtime.totalMemory() - runtime.freeMemory();
        assertThatThrownBy(lines::readLine).isInstanceOf(BoundedLineReader.LineTooLongException.class);
        long after = runtime.totalMemory() - runtime.freeMemory();
        assertThat(after - before).as("bytes kept while skipping the line").isLessThan(32L << 20);
        assertThat(lines.readLine()).isNull();
    }
}
