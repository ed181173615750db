package io.hubbletopology.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;

class EdgeKeyTest {

    private static final EndpointRef WEB = EndpointRef.newBuilder().setNamespace("shop").setPod("web-0").build();
    private static final EndpointRef DB = EndpointRef.newBuilder().setNamespace("data").setPod("db-0").build();

    private static FlowRecord.Builder flow(EndpointRef source, EndpointRef destination, L4Protocol protocol, int sourcePort,
            int destinationPort) {
        return FlowRecord.newBuilder().setSource(source).setDestination(destination).setProtocol(protocol)
                .setSourcePort(sourcePort).setDestinationPort(destinationPort);
    }

    /** A request from web to db's port 5432, and the reply that answers it. */
    static Stream<Arguments> aRequestAndItsReplyAreKeyedFromTheRequestsSourceToItsDestinationPort() {
        return Stream.of(
                arguments("request", flow(WEB, DB, L4Protocol.TCP, 41_000, 5432).setIsReply(false).build(), false),
                arguments("reply", flow(DB, WEB, L4Protocol.TCP, 5432, 41_000).setIsReply(true).build(), true));
    }

    @ParameterizedTest(name = "a {0}")
    @MethodSource
    void aRequestAndItsReplyAreKeyedFromTheRequestsSourceToItsDestinationPort(String what, FlowRecord flow, boolean isReply) {
        assertThat(EdgeKey.of(flow).text()).isEqualTo("shop/statefulset/web -> data/statefulset/db TCP/5432");
        assertThat(EdgeKey.isReply(flow)).isEqualTo(isReply);
    }

    @Test
    void aFlowHubbleCouldNotTellAboutCountsAsARequest() {
        FlowRecord unknown = flow(DB, WEB, L4Protocol.UDP, 53, 40_000).build();
        assertThat(EdgeKey.of(unknown).text()).isEqualTo("data/statefulset/db -> shop/statefulset/web UDP/40000");
    }
}
