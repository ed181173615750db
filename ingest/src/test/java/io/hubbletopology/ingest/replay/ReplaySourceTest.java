package io.hubbletopology.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.records.LostEventsRecord;

class ReplaySourceTest {

    private static final String GOOD = """
            {"flow":{"time":"2026-11-21T08:00:00.123456789Z","verdict":"DROPPED","IP":{"source":"10.0.1.6","destination":"10.0.1.5","ipVersion":"IPv4"},\
            "l4":{"TCP":{"source_port":44916,"destination_port":80,"flags":{"SYN":true}}},"source":{"namespace":"default","pod_name":"xwing"},\
            "destination":{"namespace":"default","pod_name":"deathstar-1"},"Type":"L3_L4","node_name":"kind-kind/kind-worker",\
            "drop_reason_desc":"POLICY_DENIED","uuid":"u-1"},"node_name":"kind-kind/kind-worker","time":"2026-11-21T08:00:00.123456789Z"}""";

    private final List<FlowRecord> flows = new ArrayList<>();
    private final List<LostEventsRecord> lost = new ArrayList<>();
    private final IngestMetrics metrics = IngestMetrics.inMemory();

    private ReplayResult replay(HubbleSourceSettings filters, String... lines) {
        byte[] input = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        return new ReplaySource("test.json", new ByteArrayInputStream(input), filters.whitelist(), filters.blacklist(), "fallback",
                flows::add, lost::add, metrics).run();
    }

    private ReplayResult replay(String... lines) {
        return replay(HubbleSourceSettings.of("localhost").withFilters(List.of(), List.of(), true), lines);
    }

    private ReplaySource source(InputStream input, io.hubbletopology.ingest.hubble.FlowSink sink) {
        HubbleSourceSettings all = HubbleSourceSettings.of("localhost").withFilters(List.of(), List.of(), true);
        return new ReplaySource("test.json", input, all.whitelist(), all.blacklist(), "fallback", sink, lost::add, metrics);
    }

    @Test
    void readsHubbleObserveJsonIntoFlowRecords() {
        ReplayResult result = replay(GOOD);
        assertThat(result.flows()).isEqualTo(1);
        FlowRecord f = flows.get(0);
        assertThat(f.getVerdict()).isEqualTo(Verdict.DROPPED);
        assertThat(f.getProtocol()).isEqualTo(L4Protocol.TCP);
        assertThat(f.getDestinationPort()).isEqualTo(80);
        assertThat(f.getSource().getPod()).isEqualTo("xwing");
        assertThat(f.getNodeName()).isEqualTo("kind-kind/kind-worker");
        assertThat(f.getTimeUnixNanos()).isEqualTo(1_795_248_000_123_456_789L);
        assertThat(f.getUuid()).isEqualTo("u-1");
    }

    @Test
    void skipsUnknownFieldsAndUnknownEnumNamesKeepingTheRestOfTheLine() {
        String unknownField = GOOD.replace("\"uuid\":\"u-1\"", "\"uuid\":\"u-2\",\"trace_context\":{\"parent\":{\"trace_id\":\"abc\"}},\"future_field\":[1,2]");
        String unknownEnum = GOOD.replace("\"uuid\":\"u-1\"", "\"uuid\":\"u-3\"")
                .replace("\"drop_reason_desc\":\"POLICY_DENIED\"", "\"drop_reason_desc\":\"SOME_DROP_REASON_FROM_CILIUM_2_0\"")
                .replace("\"Type\":\"L3_L4\"", "\"Type\":\"BRAND_NEW_TYPE\"");
        ReplayResult result = replay(unknownField, unknownEnum);
        assertThat(result.malformed()).isZero();
        assertThat(flows).extracting(FlowRecord::getUuid).containsExactly("u-2", "u-3");
        assertThat(flows.get(1).getDestinationPort()).as("the rest of the line is kept").isEqualTo(80);
        assertThat(flows.get(1).getVerdict()).isEqualTo(Verdict.DROPPED);
    }

    @Test
    void reportsMalformedLinesByNumberAndGoesOn() {
        ReplayResult result = replay(GOOD, "{not json", "", GOOD.replace("u-1", "u-4"), "[1,2,3]", "{\"flow\":{\"time\":\"yesterday\"}}",
                GOOD.replace("u-1", "u-5"));
        assertThat(flows).extracting(FlowRecord::getUuid).containsExactly("u-1", "u-4", "u-5");
        assertThat(result.malformed()).isEqualTo(3);
        assertThat(result.malformedLineNumbers()).containsExactly(2L, 5L, 6L);
        assertThat(result.lines()).isEqualTo(7);
        assertThat(metrics.replayMalformedLines().count()).isEqualTo(3);
    }

    @Test
    void readsBareFlowLinesAsOlderCliVersionsWrote() {
        String bare = "{\"time\":\"2026-11-21T08:00:01Z\",\"verdict\":\"FORWARDED\",\"l4\":{\"UDP\":{\"source_port\":5353,\"destination_port\":53}},"
                + "\"source\":{\"namespace\":\"default\",\"pod_name\":\"a\"},\"destination\":{\"namespace\":\"kube-system\",\"pod_name\":\"coredns-1\"},\"uuid\":\"bare\"}";
        replay(bare);
        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.getUuid()).isEqualTo("bare");
            assertThat(f.getProtocol()).isEqualTo(L4Protocol.UDP);
            assertThat(f.getNodeName()).isEqualTo("fallback");
        });
    }

    @Test
    void publishesLostEventsAndAppliesTheConfiguredFilters() {
        String lostLine = "{\"lost_events\":{\"source\":\"HUBBLE_RING_BUFFER\",\"num_events_lost\":\"17\"},\"node_name\":\"n1\"}";
        String forwarded = GOOD.replace("\"verdict\":\"DROPPED\"", "\"verdict\":\"FORWARDED\"").replace("u-1", "u-6");
        HubbleSourceSettings onlyDropped = HubbleSourceSettings.of("localhost").withFilters(List.of(Verdict.DROPPED), List.of(), false);
        ReplayResult result = replay(onlyDropped, GOOD, lostLine, forwarded);
        assertThat(flows).extracting(FlowRecord::getUuid).containsExactly("u-1");
        assertThat(result.filtered()).isEqualTo(1);
        assertThat(lost).singleElement().satisfies(l -> {
            assertThat(l.getNumEventsLost()).isEqualTo(17);
            assertThat(l.getNodeName()).isEqualTo("n1");
            assertThat(l.getOrigin()).isEqualTo("replay:test.json");
        });
        assertThat(metrics.lostEvents().count()).isEqualTo(17);
    }

    @Test
    void aLineTooLongToBeAFlowIsSkippedAndCountedWithItsNumber() {
        String huge = "{\"flow\":{\"uuid\":\"" + "x".repeat(ReplaySource.MAX_LINE_CHARS + 10) + "\"}}";
        ReplayResult result = replay(GOOD, huge, GOOD.replace("u-1", "u-9"));
        assertThat(result.flows()).isEqualTo(2);
        assertThat(result.malformed()).isEqualTo(1);
        assertThat(result.malformedLineNumbers()).containsExactly(2L);
        assertThat(flows).extracting(FlowRecord::getUuid).containsExactly("u-1", "u-9");
    }

    @Test
    void manyLinesKeepTheirOrderAndTheMalformedOnesTheirNumbers() {
        List<String> lines = new ArrayList<>();
        List<Long> bad = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            if (i % 97 == 0) {
                lines.add("{\"flow\":");
                bad.add((long) i);
            } else {
                lines.add(GOOD.replace("u-1", "n-" + i));
            }
        }
        ReplayResult result = replay(lines.toArray(String[]::new));
        assertThat(result.lines()).isEqualTo(3_000);
        assertThat(result.malformedLineNumbers()).containsExactlyElementsOf(bad);
        assertThat(flows).hasSize(3_000 - bad.size());
        List<String> uuids = flows.stream().map(FlowRecord::getUuid).toList();
        assertThat(uuids.get(0)).isEqualTo("n-1");
        assertThat(uuids.get(uuids.size() - 1)).isEqualTo("n-3000");
        assertThat(uuids).isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a.substring(2)), Integer.parseInt(b.substring(2))));
    }

    @Test
    void textBeyondAsciiIsReadAndMalformedUtf8ReadAsReplacementCharacters() {
        byte[] cafe = GOOD.replace("\"pod_name\":\"xwing\"", "\"pod_name\":\"caf\u00e9\"").getBytes(StandardCharsets.UTF_8);
        byte[] broken = GOOD.replace("u-1", "u-2").replace("\"pod_name\":\"xwing\"", "\"pod_name\":\"x#wing\"")
                .getBytes(StandardCharsets.UTF_8);
        broken[new String(broken, StandardCharsets.UTF_8).indexOf('#')] = (byte) 0xFF;
        byte[] input = (new String(cafe, StandardCharsets.ISO_8859_1) + "\n" + new String(broken, StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        new ReplaySource("test.json", new ByteArrayInputStream(input), List.of(), List.of(), "fallback", flows::add, lost::add, metrics).run();
        assertThat(flows).extracting(f -> f.getSource().getPod()).containsExactly("caf\u00e9", "x\uFFFDwing");
    }

    @Test
    void theLineBoundCountsCharactersNotBytes() {
        // 600,000 two-byte characters: 1.2 MB of UTF-8, under the bound of 1,048,576 characters.
        String wide = GOOD.replace("\"pod_name\":\"xwing\"", "\"pod_name\":\"" + "\u00e9".repeat(600_000) + "\"");
        ReplayResult result = replay(wide);
        assertThat(result.malformed()).isZero();
        assertThat(flows).singleElement().satisfies(f -> assertThat(f.getSource().getPod()).hasSize(600_000));
    }

    @Test
    @Timeout(60)
    void aFlowWrittenToAnOpenInputIsHandedOnAtOnce() throws Exception {
        // As with hubble observe --follow | ingest --replay -: the input stays open between flows.
        PipedOutputStream hubble = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(hubble, 64 * 1024);
        BlockingQueue<FlowRecord> sent = new LinkedBlockingQueue<>();
        CompletableFuture<ReplayResult> done = CompletableFuture.supplyAsync(() -> source(stdin, sent::add).run());
        for (int i = 1; i <= 3; i++) {
            hubble.write((GOOD.replace("u-1", "f-" + i) + "\n").getBytes(StandardCharsets.UTF_8));
            hubble.flush();
            FlowRecord flow = sent.poll(10, TimeUnit.SECONDS);
            assertThat(flow).as("flow %d handed on while the input is open", i).isNotNull();
            assertThat(flow.getUuid()).isEqualTo("f-" + i);
            assertThat(done).isNotDone();
        }
        hubble.close();
        assertThat(done.get(10, TimeUnit.SECONDS).flows()).isEqualTo(3);
    }

    @Test
    @Timeout(60)
    void aSinkThatFailsStopsTheReplayWithItsErrorAndTheReadingWithIt() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        byte[] many = (GOOD + "\n").repeat(20_000).getBytes(StandardCharsets.UTF_8);
        InputStream input = new ByteArrayInputStream(many) {
            @Override
            public void close() {
                closed.countDown();
            }
        };
        ReplaySource replay = source(input, flow -> {
            throw new IllegalStateException("Kafka is gone");
        });
        assertThatThrownBy(replay::run).isInstanceOf(IllegalStateException.class).hasMessage("Kafka is gone");
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("the input closed: nothing reads on").isTrue();
    }

    @Test
    void aReadErrorStopsTheReplayNamingTheLineAfterTheFlowsBeforeIt() {
        byte[] two = (GOOD + "\n" + GOOD.replace("u-1", "u-2") + "\n").getBytes(StandardCharsets.UTF_8);
        InputStream failing = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position == two.length) {
                    throw new IOException("disk gone");
                }
                return two[position++] & 0xFF;
            }
        };
        assertThatThrownBy(() -> source(failing, flows::add).run()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("reading test.json failed at line 3: disk gone");
        assertThat(flows).extracting(FlowRecord::getUuid).containsExactly("u-1", "u-2");
    }
}
