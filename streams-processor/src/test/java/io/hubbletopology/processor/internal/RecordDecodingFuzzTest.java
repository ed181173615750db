package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessingCounters;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.processor.serde.ProtoSerde;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.LinkCounters;
import io.hubbletopology.records.LinkStateRecord;

/**
 * Seeded fuzzing of the processor's record decoders: random and mutated protobuf bytes of flows and link
 * states. The serdes throw only Kafka's {@link SerializationException}; through the whole topology, no input
 * makes a record escape the error handlers, and every flow that is not counted is in the dead-letter topic.
 * Huge length prefixes are refused by protobuf's bounds check instead of allocated: the test runs in the
 * ordinary test heap.
 */
class RecordDecodingFuzzTest {

    private static final long SEED = 7_003;
    private static final long T0 = 1_700_000_040_000L;
    private static final byte[][] TOKENS = {
        {0}, {(byte) 0xff}, {(byte) 0x80},
        {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
        {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01},
        {0x0b},
    };

    @TempDir
    Path stateDir;

    @Test
    @Timeout(60)
    void serdesThrowOnlySerializationExceptionOnRandomAndMutatedBytes() {
        Random random = new Random(SEED);
        List<byte[]> seeds = List.of(flow(1, T0).toByteArray(), link(2).toByteArray());
        var flows = ProtoSerde.flows().deserializer();
        var links = ProtoSerde.links().deserializer();
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = i % 5 == 0 ? randomBytes(random, random.nextInt(300)) : mutate(seeds.get(i % 2), random);
            for (var decoder : List.of(flows, links)) {
                try {
                    decoder.deserialize("t", bytes);
                } catch (SerializationException refused) {
                    assertThat(refused.getMessage()).startsWith("not a valid record on t");
                } catch (Throwable t) {
                    throw new AssertionError("iteration " + i + " (seed " + SEED + "): " + t + " on " + Arrays.toString(bytes), t);
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void noMutatedRecordEscapesTheTopologyAndEveryUncountedFlowIsADeadLetter() {
        ProcessorConfig config = ProcessorConfig.from(ConfigValues.of(Map.of("kafka.bootstrap_servers", "unused:9092",
                "processor.state_dir", stateDir.toString(), "processor.window.grace", "1h")));
        Random random = new Random(SEED + 1);
        try (TopologyTestDriver driver = new TopologyTestDriver(TopologyStreams.build(config, new ProcessingCounters()),
                TopologyProcessor.streamsProperties(config))) {
            TestInputTopic<String, byte[]> flows = driver.createInputTopic(config.topics().flows(), new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> links = driver.createInputTopic(config.topics().links(), new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic(config.topics().deadLetter(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            int flowInputs = 3_000;
            int usable = 0;
            for (int i = 0; i < flowInputs; i++) {
                FlowRecord seed = flow(i, T0 + i);
                byte[] bytes = i % 5 == 0 ? randomBytes(random, random.nextInt(200)) : mutate(seed.toByteArray(), random);
                usable += usable(bytes) ? 1 : 0;
                byte[] linkBytes = mutate(link(i).toByteArray(), random);
                try {
                    flows.pipeInput(EdgeKey.of(seed).text(), bytes, T0 + i);
                    links.pipeInput("n1/eth" + i % 4, linkBytes, T0 + i);
                } catch (Throwable t) {
                    throw new AssertionError("iteration " + i + " (seed " + (SEED + 1) + "): " + t + " on flow " + Arrays.toString(bytes)
                            + " / link " + Arrays.toString(linkBytes), t);
                }
            }
            long flowLetters = deadLetters.readRecordsToList().stream()
                    .filter(r -> config.topics().flows().equals(header(r.headers(), DeadLetters.TOPIC))).count();
            assertThat(flowLetters).as("flows refused, the others counted").isEqualTo(flowInputs - usable);
            assertThat(usable).as("the mutations leave some flows usable").isGreaterThan(flowInputs / 20);
        }
    }

    /** What {@link FlowCheck} lets through, decided from the bytes alone. */
    private static boolean usable(byte[] bytes) {
        try {
            FlowRecord f = FlowRecord.parseFrom(bytes);
            return f.getTimeUnixNanos() > 0 && f.hasSource() && f.hasDestination();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static FlowRecord flow(int i, long timeMs) {
        return FlowRecord.newBuilder().setTimeUnixNanos(timeMs * 1_000_000L).setVerdict(Verdict.FORWARDED).setNodeName("node-a")
                .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod("client-" + i % 7 + "-0").addLabels("app=client"))
                .setDestination(EndpointRef.newBuilder().setNamespace("data").setPod("db-" + i % 3 + "-0"))
                .setProtocol(L4Protocol.TCP).setDestinationPort(5432).build();
    }

    private static LinkStateRecord link(int i) {
        return LinkStateRecord.newBuilder().setNodeName("n1").setInterface("eth" + i % 4).setOperstate("up").setCarrier(1)
                .setSpeedMbps(10_000).setMtu(1500).setMac("02:00:00:00:00:01").setObservedUnixNanos((T0 + i * 1_000L) * 1_000_000L)
                .setCounters(LinkCounters.newBuilder().setRxBytes(1_000L * i).setTxBytes(500L * i)).build();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        return Mutations.mutate(seed, random, TOKENS);
    }

    private static byte[] randomBytes(Random random, int n) {
        return Mutations.randomBytes(random, n);
    }
}
