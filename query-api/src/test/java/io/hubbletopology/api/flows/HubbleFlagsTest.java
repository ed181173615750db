package io.hubbletopology.api.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.flowfilter.FlowFilterMatcher;
import io.hubbletopology.flowfilter.HubbleFlows;
import io.hubbletopology.hubble.flow.CiliumEventType;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;

class HubbleFlagsTest {

    private static final FlowRecord SHOP_TO_DB = FlowRecord.newBuilder().setVerdict(Verdict.DROPPED).setProtocol(L4Protocol.TCP)
            .setSourcePort(44000).setDestinationPort(5432)
            .setSource(EndpointRef.newBuilder().setNamespace("shop").setPod("web-1").setIp("10.0.0.1"))
            .setDestination(EndpointRef.newBuilder().setNamespace("data").setPod("db-0").setIp("10.0.1.1")).build();

    private static boolean keeps(String query, FlowRecord flow) {
        FlowFilterMatcher m = HubbleFlags.parse(name -> HubbleFlags.QUERY_STRING.equals(name) ? query : null);
        return m.test(HubbleFlows.of(flow));
    }

    @ParameterizedTest(name = "{0} keeps the flow from shop to data: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            namespace=data                   | true  |
            from-namespace=data              | false |
            port=5432                        | true  |
            from-port=5432                   | false |
            ip=10.0.0.0/24&to-namespace=data | true  |
            ip=10.0.0.0/24&to-namespace=shop | false |
            pod=web-1                        | false | a pod without namespace is in default, as the CLI has it
            """)
    void eitherEndFlagsMatchASourceOrADestinationAndOneSidedOnesOnlyTheirSide(String query, boolean kept, String why) {
        assertThat(keeps(query, SHOP_TO_DB)).as(why).isEqualTo(kept);
    }

    /** As the ingest writes it: the Flow Hubble sent, with its event type and subtype, beside the compact fields. */
    private static FlowRecord fromHubble(int type, int subtype) {
        return SHOP_TO_DB.toBuilder().setHubbleFlow(HubbleFlows.of(SHOP_TO_DB).toBuilder()
                .setEventType(CiliumEventType.newBuilder().setType(type).setSubType(subtype)).build().toByteString()).build();
    }

    /** The flow's Hubble event type and subtype: 4 and 3 are trace to-stack, 1 and 133 drop for POLICY_DENIED. */
    @ParameterizedTest(name = "{2} keeps a flow of type {0} subtype {1}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            4 | 3   | type=trace                            | true  |
            4 | 3   | type=trace:to-stack                   | true  |
            4 | 3   | type=trace:to-endpoint                | false |
            4 | 3   | type=trace:to-endpoint,trace:to-stack | true  |
            4 | 3   | type=trace:to-endpoint&type=trace:3   | true  |
            4 | 3   | not&type=trace:to-stack               | false |
            4 | 3   | type=drop                             | false |
            1 | 133 | type=drop:133                         | true  |
            1 | 133 | type=drop:181                         | false |
            4 | 3   | type=trace%3Ato-stack                 | true  | the colon percent-encoded
            """)
    void typeTakesHubbleObserveTypesWithSubtypes(int type, int subtype, String query, boolean kept, String why) {
        assertThat(keeps(query, fromHubble(type, subtype))).as(why).isEqualTo(kept);
    }

    @Test
    void aValueOrNameThatIsNotPercentEncodedUtf8IsRefusedNamingIt() {
        // %FF is no UTF-8 byte: refused, where a lenient decoder would match on U+FFFD instead.
        assertThatThrownBy(() -> keeps("pod=shop%2Ffront%FF", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class, e -> {
            assertThat(e.parameter()).isEqualTo("pod");
            assertThat(e.getMessage()).contains("not UTF-8");
        });
        assertThatThrownBy(() -> keeps("verdict=dropped&pod%=x", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("pod%"));
        assertThat(keeps("namespace=sh%6Fp", SHOP_TO_DB)).as("an encoded letter").isTrue();
    }

    @Test
    void anUnknownTypeOrSubtypeIsRefusedNamingTypeAndWhatItTakes() {
        assertThatThrownBy(() -> keeps("type=trace:to-nowhere", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class, e -> {
            assertThat(e.parameter()).isEqualTo("type");
            assertThat(e.getMessage()).contains("to-nowhere").contains("to-endpoint").contains("to-crypto");
        });
        assertThatThrownBy(() -> keeps("type=drop:policy-denied", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("type"));
    }

    @Test
    void notNegatesTheParameterAfterIt() {
        assertThat(keeps("not&verdict=dropped", SHOP_TO_DB)).isFalse();
        assertThat(keeps("verdict=dropped&not&to-port=80", SHOP_TO_DB)).isTrue();
        assertThat(keeps("not=&verdict=forwarded&namespace=shop", SHOP_TO_DB)).isTrue();
        assertThatThrownBy(() -> keeps("verdict=dropped&not", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("not"));
    }

    @Test
    void aBadValueIsNamedByTheParameterItCameIn() {
        assertThatThrownBy(() -> keeps("port=http", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("port"));
        assertThatThrownBy(() -> keeps("to-ip=10.0.0.0%2F99", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("to-ip"));
        assertThatThrownBy(() -> keeps("type=sometimes", SHOP_TO_DB)).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("type"));
    }
}
