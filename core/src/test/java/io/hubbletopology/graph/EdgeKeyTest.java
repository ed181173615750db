package io.hubbletopology.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;

class EdgeKeyTest {

    private static final EndpointRef WEB = EndpointRef.newBuilder().setNamespace("shop").setPod("web-0").build();
    private static final EndpointRef DB = EndpointRef.newBuilder().setNamespace("data").setPod("db-0").build();

    @Test
    void aRequestIsKeyedFromItsSourceToItsDestinationPort() {
        FlowRecord request = FlowRecord.newBuilder().setSource(WEB).setDestination(DB).setProtocol(L4Protocol.TCP)
                .setSourcePort(41_000).setDestinationPort(5432).setIsReply(false).build();
        assertThat(EdgeKey.of(request).text()).isEqualTo("shop/statefulset/web -> data/statefulset/db TCP/5432");
        assertThat(EdgeKey.isReply(request)).isFalse();
    }

    @Test
    void aReplyIsKeyedLikeTheRequestItAnswers() {
        FlowRecord reply = FlowRecord.newBuilder().setSource(DB).setDestination(WEB).setProtocol(L4Protocol.TCP)
                .setSourcePort(5432).setDestinationPort(41_000).setIsReply(true).build();
        assertThat(EdgeKey.of(reply).text()).isEqualTo("shop/statefulset/web -> data/statefulset/db TCP/5432");
        assertThat(EdgeKey.isReply(reply)).isTrue();
    }

    @Test
    void aFlowHubbleCouldNotTellAboutCountsAsARequest() {
        FlowRecord unknown = FlowRecord.newBuilder().setSource(DB).setDestination(WEB).setProtocol(L4Protocol.UDP)
                .setSourcePort(53).setDestinationPort(40_000).build();
        assertThat(EdgeKey.of(unknown).text()).isEqualTo("data/statefulset/db -> shop/statefulset/web UDP/40000");
    }
}
