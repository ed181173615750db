package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HubbleTargetTest {

    @Test
    void readsRelayAddressesWithTheDefaultPort() {
        assertThat(HubbleTarget.parse("hubble-relay.kube-system").grpcTarget()).isEqualTo("dns:///hubble-relay.kube-system:4245");
        assertThat(HubbleTarget.parse("127.0.0.1:4244").display()).isEqualTo("127.0.0.1:4244");
    }

    @Test
    void readsTheLocalAgentSocket() {
        assertThat(HubbleTarget.parse("unix:///var/run/cilium/hubble.sock").grpcTarget())
                .isEqualTo("unix:///var/run/cilium/hubble.sock");
    }

    @Test
    void refusesAddressesItCannotUseWithAReason() {
        assertThatThrownBy(() -> HubbleTarget.parse("host:http")).hasMessageContaining("port is not a number");
        assertThatThrownBy(() -> HubbleTarget.parse("host:70000")).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> HubbleTarget.parse("unix://relative.sock")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> HubbleTarget.parse(" ")).hasMessageContaining("empty");
    }
}
