package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.hubbletopology.flowfilter.CiliumEventTypes;
import io.hubbletopology.hubble.flow.EventTypeFilter;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/** The configured filters travel to Hubble in the request, so Hubble leaves the flows out, not the agent. */
@Timeout(60)
class HubbleFiltersIT {

    @Test
    void verdictAllowListExcludedPodsAndNoL3L4RepliesReachTheServer() {
        List<FlowRecord> received = new CopyOnWriteArrayList<>();
        try (SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(3)::next)
                .flowsPerSecond(2_000).maxFlows(2_000).startPaused().start()) {
            HubbleSourceSettings settings = HubbleSourceSettings.of("127.0.0.1:" + hubble.port())
                    .withFilters(List.of(Verdict.FORWARDED, Verdict.DROPPED), List.of("kube-system/"), false);
            try (HubbleFlowSource source = new HubbleFlowSource(settings, "n", received::add, lost -> { }, IngestMetrics.inMemory())) {
                source.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> hubble.followers() == 1);
                hubble.resume();
                List<Flow> expected = List.of();
                await().atMost(Duration.ofSeconds(20)).until(() -> hubble.emitted() == 2_000);
                expected = hubble.ringContents().stream()
                        .filter(f -> f.getVerdict() == Verdict.FORWARDED || f.getVerdict() == Verdict.DROPPED)
                        // Of the replies, only L7 responses: they alone carry the status, rcode and latency.
                        .filter(f -> !(f.hasIsReply() && f.getIsReply().getValue()) || f.getEventType().getType() == CiliumEventTypes.ACCESS_LOG)
                        .filter(f -> !f.getSource().getNamespace().equals("kube-system") && !f.getDestination().getNamespace().equals("kube-system"))
                        .toList();
                int want = expected.size();
                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= want);

                GetFlowsRequest asked = hubble.requests().get(0);
                FlowFilter verdicts = FlowFilter.newBuilder().addVerdict(Verdict.FORWARDED).addVerdict(Verdict.DROPPED).build();
                assertThat(asked.getWhitelistList()).containsExactly(verdicts.toBuilder().addReply(false).build(),
                        verdicts.toBuilder().addReply(true).addEventType(EventTypeFilter.newBuilder().setType(CiliumEventTypes.ACCESS_LOG)).build());
                assertThat(asked.getBlacklistList()).containsExactly(
                        FlowFilter.newBuilder().addSourcePod("kube-system/").build(),
                        FlowFilter.newBuilder().addDestinationPod("kube-system/").build());
                assertThat(asked.getFollow()).isTrue();
                assertThat(received).extracting(FlowRecord::getUuid)
                        .containsExactlyInAnyOrderElementsOf(expected.stream().map(Flow::getUuid).toList());
                assertThat(want).as("the filters leave some flows out").isLessThan(2_000).isPositive();
                assertThat(received).as("L7 responses are kept").anyMatch(f -> f.getIsReply() && f.hasL7());
            }
        }
    }
}
