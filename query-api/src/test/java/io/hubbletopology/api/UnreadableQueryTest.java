package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnreadableQueryTest {

    @Test
    void namesTheParameterWhoseValueCannotBeRead() {
        assertThat(UnreadableQuery.parameter("namespace=%")).isEqualTo("namespace");
        assertThat(UnreadableQuery.parameter("verdict=dropped&namespace=%4")).isEqualTo("namespace");
        assertThat(UnreadableQuery.parameter("pod=a%zzb")).isEqualTo("pod");
        assertThat(UnreadableQuery.parameter("pod=%FF%FE")).as("not UTF-8").isEqualTo("pod");
        assertThat(UnreadableQuery.parameter("na%6De=%")).as("a name that is itself encoded").isEqualTo("name");
    }

    @Test
    void namesTheWholeQueryWhenNoParameterCanBeBlamed() {
        assertThat(UnreadableQuery.parameter("%=x")).isEqualTo(UnreadableQuery.WHOLE_QUERY);
        assertThat(UnreadableQuery.parameter("a=1&=%db")).as("a nameless part").isEqualTo(UnreadableQuery.WHOLE_QUERY);
        assertThat(UnreadableQuery.parameter(null)).isEqualTo(UnreadableQuery.WHOLE_QUERY);
        assertThat(UnreadableQuery.parameter("namespace=shop%20a&x=%C3%A9")).as("all readable").isEqualTo(UnreadableQuery.WHOLE_QUERY);
        assertThat(UnreadableQuery.readable("shop+a%2Fb")).isTrue();
    }
}
