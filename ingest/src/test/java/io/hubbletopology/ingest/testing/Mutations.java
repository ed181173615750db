package io.hubbletopology.ingest.testing;

import java.util.List;
import java.util.Random;

/**
 * Seeded mutations for the fuzz tests: small edits of valid inputs (the inputs most likely to reach deep into
 * a parser) and the edits that break parsers most often (truncation, extreme numbers, deep nesting, huge
 * length prefixes). The seed makes every failure reproducible: the test prints it with the input.
 */
public final class Mutations {

    private static final List<String> JSON_TOKENS = List.of("{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1",
            "1e999", "-0", "18446744073709551616", "9223372036854775807", "\"\\u0000\"", "\"\\ud800\"", "NaN",
            "\"flow\":", "\"time\":", "\"lost_events\":", "\"verdict\":\"NOPE\"", "\"l4\":{\"TCP\":{", "{".repeat(200),
            "[".repeat(2_000), "\"" + "x".repeat(10_000) + "\"");
    private static final byte[][] BYTE_TOKENS = {
        {0}, {(byte) 0xff}, {(byte) 0x7f}, {(byte) 0x80},
        // A length-delimited field claiming 2 GiB, and one claiming 2^63 (a varint of ten bytes).
        {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
        {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01},
        // A group start with no end, and a deep nest of one-byte messages.
        {0x0b}, {0x0a, 0x02, 0x0a, 0x00},
    };

    private Mutations() {
    }

    public static String mutate(String seed, Random random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
            switch (random.nextInt(6)) {
                case 0 -> s.insert(at, JSON_TOKENS.get(random.nextInt(JSON_TOKENS.size())));
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(20)));
                case 2 -> s.setLength(at);
                case 3 -> s.insert(at, (char) random.nextInt(0x3000));
                case 4 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(50))));
                default -> {
                    if (at < s.length()) {
                        s.setCharAt(at, (char) (32 + random.nextInt(95)));
                    }
                }
            }
        }
        return s.toString();
    }

    public static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            switch (random.nextInt(6)) {
                case 0 -> b = insert(b, at, BYTE_TOKENS[random.nextInt(BYTE_TOKENS.length)]);
                case 1 -> b = concat(slice(b, 0, at), slice(b, Math.min(b.length, at + 1 + random.nextInt(8)), b.length));
                case 2 -> b = slice(b, 0, at);
                case 3 -> b = insert(b, at, randomBytes(random, 1 + random.nextInt(8)));
                case 4 -> b = insert(b, at, slice(b, at, Math.min(b.length, at + random.nextInt(32))));
                default -> {
                    if (at < b.length) {
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
            }
        }
        return b;
    }

    public static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** An input for a failure message: short, printable. */
    public static String show(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 200); i++) {
            s.append(String.format("%02x", bytes[i]));
        }
        return s + (bytes.length > 200 ? "... (" + bytes.length + " bytes)" : "");
    }

    public static String show(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text;
    }


    private static byte[] insert(byte[] b, int at, byte[] what) {
        return concat(concat(slice(b, 0, at), what), slice(b, at, b.length));
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }
}
