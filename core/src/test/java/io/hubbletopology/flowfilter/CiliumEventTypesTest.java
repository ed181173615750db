package io.hubbletopology.flowfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hubbletopology.hubble.flow.EventTypeFilter;

class CiliumEventTypesTest {

    private static EventTypeFilter type(int type) {
        return EventTypeFilter.newBuilder().setType(type).build();
    }

    private static EventTypeFilter subtype(int type, int subtype) {
        return EventTypeFilter.newBuilder().setType(type).setMatchSubType(true).setSubType(subtype).build();
    }

    @ParameterizedTest(name = "\"{0}\" is type {1}")
    @CsvSource(delimiter = '|', textBlock = """
            trace          | 4
            drop           | 1
            policy-verdict | 5
            l7             | 129
            trace-sock     | 7
            ' Trace '      | 4
            """)
    void aTypeAloneMatchesEverySubtype(String name, int type) {
        assertThat(CiliumEventTypes.filter(name)).isEqualTo(type(type));
    }

    @ParameterizedTest(name = "\"{0}\" is trace subtype {1}")
    @CsvSource(delimiter = '|', textBlock = """
            trace:to-endpoint   | 0
            trace:to-proxy      | 1
            trace:to-stack      | 3
            trace:from-endpoint | 5
            trace:from-network  | 10
            trace:to-network    | 11
            trace:from-crypto   | 12
            TRACE:TO-CRYPTO     | 13
            """)
    void aTraceSubtypeIsItsObservationPointByCiliumsNumbers(String name, int subtype) {
        assertThat(CiliumEventTypes.filter(name)).isEqualTo(subtype(4, subtype));
    }

    /** Where the table gives no subtype, the filter is the type alone. */
    @ParameterizedTest(name = "\"{0}\" is type {1} subtype {2}")
    @CsvSource(delimiter = '|', textBlock = """
            drop:133             | 1   | 133
            trace:3              | 4   | 3
            4:0                  | 4   | 0
            agent:policy-updated | 130 | 5
            255                  | 255 |
            """)
    void anySubtypeAndAnyTypeMayBeANumberAsTheCliAllows(String name, int type, Integer subtype) {
        assertThat(CiliumEventTypes.filter(name)).isEqualTo(subtype == null ? type(type) : subtype(type, subtype));
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
