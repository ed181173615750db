package io.hubbletopology.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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
}
