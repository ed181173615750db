package io.hubbletopology.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BytePatternTest {

    @Test
    void findsTheFirstOccurrenceWithinTheRangeAsAPlainSearchDoes() {
        Random random = new Random(14);
        BytePattern flows = new BytePattern("\"flows\":");
        byte[] alphabet = "\"flows:1{}".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 2_000; round++) {
            byte[] data = new byte[random.nextInt(200)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (data.length > 8 && random.nextBoolean()) {
                System.arraycopy("\"flows\":".getBytes(StandardCharsets.UTF_8), 0, data, random.nextInt(data.length - 8), 8);
            }
            int from = data.length == 0 ? 0 : random.nextInt(data.length);
            int to = from + random.nextInt(data.length - from + 1);
            assertThat(flows.indexIn(data, from, to)).as("round %d", round)
                    .isEqualTo(LeanWebSockets.indexOf(data, from, to, "\"flows\":".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
