package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;

class SeenFlowsTest {

    @Test
    void dropsAFlowSentAgainByUuidOrByTimeNodeAndFiveTuple() {
        SeenFlows seen = new SeenFlows(10);
        FlowRecord withUuid = FlowRecord.newBuilder().setUuid("u-1").setTimeUnixNanos(5).build();
        assertThat(seen.firstTime(withUuid)).isTrue();
        assertThat(seen.firstTime(withUuid)).isFalse();

        FlowRecord noUuid = FlowRecord.newBuilder().setTimeUnixNanos(7).setNodeName("n")
                .setSource(EndpointRef.newBuilder().setIp("10.0.0.1")).setSourcePort(1000)
                .setDestination(EndpointRef.newBuilder().setIp("10.0.0.2")).setDestinationPort(80).build();
        assertThat(seen.firstTime(noUuid)).isTrue();
        assertThat(seen.firstTime(noUuid.toBuilder().build())).isFalse();
        assertThat(seen.firstTime(noUuid.toBuilder().setSourcePort(1001).build())).isTrue();
        assertThat(seen.latestNanos()).isEqualTo(7);
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        SeenFlows seen = new SeenFlows(2);
        seen.firstTime(FlowRecord.newBuilder().setUuid("a").build());
        seen.firstTime(FlowRecord.newBuilder().setUuid("b").build());
        seen.firstTime(FlowRecord.newBuilder().setUuid("c").build());
        assertThat(seen.firstTime(FlowRecord.newBuilder().setUuid("a").build())).isTrue();
        assertThat(seen.firstTime(FlowRecord.newBuilder().setUuid("c").build())).isFalse();
    }
}
