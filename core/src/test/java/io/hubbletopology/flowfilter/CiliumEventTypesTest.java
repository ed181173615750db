package io.hubbletopology.flowfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.hubbletopology.hubble.flow.EventTypeFilter;

class CiliumEventTypesTest {

    private static EventTypeFilter type(int type) {
        return EventTypeFilter.newBuilder().setType(type).build();
    }

    private static EventTypeFilter subtype(int type, int subtype) {
        return EventTypeFilter.newBuilder().setType(type).setMatchSubType(true).setSubType(subtype).build();
    }

    @Test
    void aTypeAloneMatchesEverySubtype() {
        assertThat(CiliumEventTypes.filter("trace")).isEqualTo(type(4));
        assertThat(CiliumEventTypes.filter("drop")).isEqualTo(type(1));
        assertThat(CiliumEventTypes.filter("policy-verdict")).isEqualTo(type(5));
        assertThat(CiliumEventTypes.filter("l7")).isEqualTo(type(129));
        assertThat(CiliumEventTypes.filter("trace-sock")).isEqualTo(type(7));
        assertThat(CiliumEventTypes.filter(" Trace ")).isEqualTo(type(4));
    }

    @Test
    void aTraceSubtypeIsItsObservationPointByCiliumsNumbers() {
        assertThat(CiliumEventTypes.filter("trace:to-endpoint")).isEqualTo(subtype(4, 0));
        assertThat(CiliumEventTypes.filter("trace:to-proxy")).isEqualTo(subtype(4, 1));
        assertThat(CiliumEventTypes.filter("trace:to-stack")).isEqualTo(subtype(4, 3));
        assertThat(CiliumEventTypes.filter("trace:from-endpoint")).isEqualTo(subtype(4, 5));
        assertThat(CiliumEventTypes.filter("trace:from-network")).isEqualTo(subtype(4, 10));
        assertThat(CiliumEventTypes.filter("trace:to-network")).isEqualTo(subtype(4, 11));
        assertThat(CiliumEventTypes.filter("trace:from-crypto")).isEqualTo(subtype(4, 12));
        assertThat(CiliumEventTypes.filter("TRACE:TO-CRYPTO")).isEqualTo(subtype(4, 13));
    }

    @Test
    void anySubtypeAndAnyTypeMayBeANumberAsTheCliAllows() {
        assertThat(CiliumEventTypes.filter("drop:133")).isEqualTo(subtype(1, 133));
        assertThat(CiliumEventTypes.filter("trace:3")).isEqualTo(subtype(4, 3));
        assertThat(CiliumEventTypes.filter("4:0")).isEqualTo(subtype(4, 0));
        assertThat(CiliumEventTypes.filter("agent:policy-updated")).isEqualTo(subtype(130, 5));
        assertThat(CiliumEventTypes.filter("255")).isEqualTo(type(255));
    }

    @Test
    void anUnknownTypeOrSubtypeSaysWhatIsAccepted() {
        assertThatThrownBy(() -> CiliumEventTypes.filter("sometimes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sometimes' is not an event type").hasMessageContaining("policy-verdict").hasMessageContaining("0..255");
        assertThatThrownBy(() -> CiliumEventTypes.filter("trace:to-nowhere")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'to-nowhere' is not a subtype of trace").hasMessageContaining("to-endpoint")
                .hasMessageContaining("from-crypto");
        assertThatThrownBy(() -> CiliumEventTypes.filter("drop:policy-denied")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("133 for POLICY_DENIED");
        assertThatThrownBy(() -> CiliumEventTypes.filter("trace:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CiliumEventTypes.filter("trace:256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CiliumEventTypes.filter("l7:-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CiliumEventTypes.filter("trace:to-stack:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CiliumEventTypes.filter("256")).isInstanceOf(IllegalArgumentException.class);
    }
}
