package io.hubbletopology.api.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte string to find in messages, by Horspool's rule: it compares the window's last byte first and, on a
 * mismatch, moves by as much as that byte allows (up to the pattern's length) instead of by one. The fan-out's
 * clients look for a few such names in every message they get, hundreds of thousands a second, on the cores the
 * server under test uses; a byte-by-byte search was most of their CPU.
 */
final class BytePattern {

    private final byte[] bytes;
    private final int[] shift = new int[256];

    BytePattern(String text) {
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        Arrays.fill(shift, bytes.length);
        for (int i = 0; i < bytes.length - 1; i++) {
            shift[bytes[i] & 0xff] = bytes.length - 1 - i;
        }
    }

    int length() {
        return bytes.length;
    }

    /** Where the pattern first occurs in {@code data[from, to)}, or -1. */
    int indexIn(byte[] data, int from, int to) {
        int last = bytes.length - 1;
        byte end = bytes[last];
        for (int at = from; at + last < to; ) {
            byte b = data[at + last];
            if (b == end && matchesAt(data, at)) {
                return at;
            }
            at += shift[b & 0xff];
        }
        return -1;
    }

    private boolean matchesAt(byte[] data, int at) {
        for (int i = 0; i < bytes.length - 1; i++) {
            if (data[at + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
