package io.hubbletopology.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.protobuf.util.JsonFormat;

import io.hubbletopology.hubble.flow.LostEvent;
import io.hubbletopology.hubble.observer.GetFlowsResponse;
import io.hubbletopology.ingest.testing.Mutations;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * Seeded fuzzing of the replay line parser: mutations of real {@code hubble observe -o json} lines, and random
 * text. Every line either parses (as the former JsonFormat parser read it), is blank, or is refused as malformed with a
 * reason; nothing else escapes
 * (no runtime exception, no stack overflow), so one bad line of a replay file never stops the replay.
 */
class ReplayLinesFuzzTest {

    private static final int ITERATIONS = 15_000;
    private static final long SEED = 7_001;

    @Test
    @Timeout(60)
    void everyMutatedOrRandomLineParsesOrIsRefusedAsMalformed() throws Exception {
        List<String> seeds = seedLines();
        Random random = new Random(SEED);
        int parsed = 0;
        int malformed = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String line = i % 10 == 0 ? randomText(random) : Mutations.mutate(seeds.get(random.nextInt(seeds.size())), random);
            // From the line's UTF-8 bytes, as the replay reads it, as from their text (unpaired surrogates become '?').
            byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
            assertThat(fromBytes(utf8)).as("iteration %d: read from its bytes as from its text: %s", i, Mutations.show(line))
                    .isEqualTo(fromText(new String(utf8, StandardCharsets.UTF_8)));
            try {
                GetFlowsResponse ours = ReplayLines.parse(line);
                // Never read a line the former JsonFormat parser refused, nor read one otherwise than it did.
                assertThat(ours).as("iteration %d (seed %d): %s", i, SEED, Mutations.show(line)).isEqualTo(formerParser(line));
                parsed++;
            } catch (MalformedLineException e) {
                assertThat(e.getMessage()).as("the reason of a refusal").isNotBlank();
                malformed++;
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + "): " + t + " on line " + Mutations.show(line), t);
            }
        }
        // Both outcomes were exercised: the mutations reach past the first character.
        assertThat(parsed).isGreaterThan(ITERATIONS / 20);
        assertThat(malformed).isGreaterThan(ITERATIONS / 20);
    }

    /** The line's response, "blank", or "refused". */
    private static Object fromText(String line) {
        try {
            GetFlowsResponse response = ReplayLines.parse(line);
            return response == null ? "blank" : response;
        } catch (MalformedLineException e) {
            return "refused";
        }
    }

    private static Object fromBytes(byte[] utf8) {
        try {
            GetFlowsResponse response = ReplayLines.parse(utf8, 0, utf8.length, ReplaySource.MAX_LINE_CHARS);
            return response == null ? "blank" : response;
        } catch (MalformedLineException e) {
            return "refused";
        }
    }

    private static GetFlowsResponse formerParser(String line) {
        try {
            return JsonFormatReplayLines.parse(line);
        } catch (MalformedLineException e) {
            throw new AssertionError("JsonFormat refused it: " + e.getMessage());
        }
    }

    private static List<String> seedLines() throws Exception {
        JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace().preservingProtoFieldNames();
        SyntheticCluster cluster = new SyntheticCluster(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            var flow = cluster.next(1_700_000_000_000_000_000L + i);
            lines.add(printer.print(GetFlowsResponse.newBuilder().setFlow(flow).setNodeName(flow.getNodeName()).build()));
            // Older CLIs: a bare Flow per line, in jsonpb's lowerCamelCase.
            lines.add(JsonFormat.printer().omittingInsignificantWhitespace().print(flow));
        }
        lines.add(printer.print(GetFlowsResponse.newBuilder().setNodeName("n")
                .setLostEvents(LostEvent.newBuilder().setNumEventsLost(12)).build()));
        return lines;
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(300);
        for (int i = 0; i < n; i++) {
            s.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x10000)));
        }
        return s.toString();
    }
}
