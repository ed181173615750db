package io.hubbletopology.ingest.hubble;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.protobuf.InvalidProtocolBufferException;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.ingest.testing.Mutations;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * Seeded fuzzing of the path every Hubble flow takes in the ingest: protobuf bytes from the wire, a
 * {@link Flow}, our {@link FlowRecord}, its edge key. A mutated or random message either fails to decode with
 * protobuf's own exception or makes a record; nothing else is thrown, and a huge length prefix is refused
 * rather than allocated.
 */
class FlowRecordsFuzzTest {

    private static final int ITERATIONS = 50_000;
    private static final long SEED = 7_002;

    @Test
    @Timeout(60)
    void mutatedAndRandomHubbleFlowsDecodeToRecordsOrAreRefused() {
        SyntheticCluster cluster = new SyntheticCluster(5);
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            seeds.add(cluster.next(1_700_000_000_000_000_000L + i).toByteArray());
        }
        Random random = new Random(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] bytes = i % 10 == 0 ? Mutations.randomBytes(random, random.nextInt(400))
                    : Mutations.mutate(seeds.get(random.nextInt(seeds.size())), random);
            Flow flow;
            try {
                flow = Flow.parseFrom(bytes);
            } catch (InvalidProtocolBufferException refused) {
                continue;
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + "): decoding threw " + t + " on " + Mutations.show(bytes), t);
            }
            try {
                FlowRecord record = FlowRecords.fromHubble(flow, "fallback-node");
                EdgeKey.of(FlowRecord.parseFrom(record.toByteArray()));
            } catch (Throwable t) {
                throw new AssertionError("iteration " + i + " (seed " + SEED + "): " + t + " on " + Mutations.show(bytes), t);
            }
        }
    }
}
