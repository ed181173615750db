package io.hubbletopology.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EdgeStateTest {

    @Test
    void dropsAloneAreDroppedBothAreMixedNoneAreForwarded() {
        assertThat(EdgeState.of(5, 0)).isEqualTo(EdgeState.FORWARDED);
        assertThat(EdgeState.of(0, 0)).as("only audit or error verdicts").isEqualTo(EdgeState.FORWARDED);
        assertThat(EdgeState.of(0, 3)).isEqualTo(EdgeState.DROPPED);
        assertThat(EdgeState.of(2, 3)).isEqualTo(EdgeState.MIXED);
        assertThat(EdgeState.MIXED.label()).isEqualTo("mixed");
    }
}
