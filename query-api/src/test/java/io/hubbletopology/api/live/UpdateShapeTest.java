package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.errors.BadParameterException;

/** The rule itself is SnapshotShapeTest's (both parameters read through BatchChoice); here, that updates is named. */
class UpdateShapeTest {

    @Test
    void eachChangeComesAloneUnlessTheClientAsksForBatchesAndAWrongValueNamesUpdates() {
        assertThat(UpdateShape.parse(null)).isEqualTo(UpdateShape.MESSAGES);
        assertThat(UpdateShape.parse("batched")).isEqualTo(UpdateShape.BATCHED);
        assertThatThrownBy(() -> UpdateShape.parse("zip")).isInstanceOfSatisfying(BadParameterException.class,
                e -> assertThat(e.parameter()).isEqualTo("updates"));
    }
}
