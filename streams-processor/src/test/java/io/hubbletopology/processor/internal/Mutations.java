package io.hubbletopology.processor.internal;

import java.util.Arrays;
import java.util.Random;

/** Seeded damage to serialised records for the decoders' fuzz tests: bit flips, cuts, inserted tokens and noise. */
final class Mutations {

    private Mutations() {
    }

    /** One to three edits of the seed's bytes; {@code tokens} are byte sequences worth inserting whole. */
    static byte[] mutate(byte[] seed, Random random, byte[][] tokens) {
        byte[] b = seed.clone();
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            int at = random.nextInt(b.length + 1);
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (at < b.length) {
                        b[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, at);
                case 2 -> b = insert(b, at, tokens[random.nextInt(tokens.length)]);
                default -> b = insert(b, at, randomBytes(random, 1 + random.nextInt(6)));
            }
        }
        return b;
    }

    static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
