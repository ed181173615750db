package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.errors.BadParameterException;

class SnapshotShapeTest {

    @Test
    void aClientThatDoesNotAskGetsOneMessageEachAsBefore() {
        assertThat(SnapshotShape.parse(null)).isEqualTo(SnapshotShape.MESSAGES);
        assertThat(SnapshotShape.parse("")).isEqualTo(SnapshotShape.MESSAGES);
        assertThat(SnapshotShape.parse("messages")).isEqualTo(SnapshotShape.MESSAGES);
        assertThat(SnapshotShape.parse("batched")).isEqualTo(SnapshotShape.BATCHED);
    }

    @Test
    void anUnknownShapeIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> SnapshotShape.parse("zip")).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("snapshot"));
    }
}
