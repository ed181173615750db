package io.hubbletopology.processor.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;


/** Every way a partition can go missing makes the answer partial, naming it; no partition counts twice. */
class PartitionMergeTest {

    private static Partitioned<String> part(Map<Integer, List<String>> items) {
        return new Partitioned<>(items, Map.of());
    }

    /** The merged answer is whole, no partition missing, and holds exactly these values in any order. */
    private static void assertWhole(PartitionMerge<String> merge, String... values) {
        Answer<List<String>> answer = merge.result();
        assertThat(answer.partial()).isFalse();
        assertThat(answer.value()).containsExactlyInAnyOrder(values);
    }

    @Test
    void isWholeOnlyWhenEveryPartitionAnswered() {
        PartitionMerge<String> merge = new PartitionMerge<>(3);
        merge.answered("a:1", part(Map.of(0, List.of("x"), 2, List.of())), Set.of(0, 2));
        merge.answered("b:1", part(Map.of(1, List.of("y", "z"))), Set.of(1));
        assertWhole(merge, "x", "y", "z");
    }

    @Test
    void aPeerThatDidNotAnswerInTimeIsNamedWithItsPartitions() {
        PartitionMerge<String> merge = new PartitionMerge<>(4);
        merge.answered("a:1", part(Map.of(0, List.of("x"), 1, List.of("y"))), Set.of(0, 1));
        merge.failed("b:1", Set.of(2, 3), "HttpTimeoutException: request timed out");
        Answer<List<String>> answer = merge.result();
        assertThat(answer.partial()).isTrue();
        assertThat(answer.missing()).containsExactly(new Answer.Missing("b:1", List.of(2, 3), "HttpTimeoutException: request timed out"));
        assertThat(answer.value()).containsExactlyInAnyOrder("x", "y");
    }

    @Test
    void aPartitionHeldByAnInstanceWithoutAnAddressIsUnassigned() {
        // Kafka Streams lists only instances with application.server: the partitions of the others are nobody's.
        PartitionMerge<String> merge = new PartitionMerge<>(4);
        merge.answered("a:1", part(Map.of(0, List.of("x"), 2, List.of("z"))), Set.of(0, 2));
        Answer<List<String>> answer = merge.result();
        assertThat(answer.partial()).isTrue();
        assertThat(answer.missing()).singleElement().satisfies(m -> {
            assertThat(m.instance()).isEqualTo(PartitionMerge.UNASSIGNED);
            assertThat(m.partitions()).containsExactly(1, 3);
            assertThat(m.reason()).contains("application.server");
        });
    }

    @Test
    void aPartitionMovingInARebalanceIsMissingNotSilentlyDropped() {
        // b was believed to hold 1 and 2 but answered only 1: 2 is on its way elsewhere.
        PartitionMerge<String> merge = new PartitionMerge<>(3);
        merge.answered("a:1", part(Map.of(0, List.of("x"))), Set.of(0));
        merge.answered("b:1", part(Map.of(1, List.of("y"))), Set.of(1, 2));
        assertThat(merge.result().missing()).containsExactly(new Answer.Missing("b:1", List.of(2), PartitionMerge.MOVED));
    }

    @Test
    void aPartitionThatCouldNotBeQueriedWhereItLivesSaysWhy() {
        PartitionMerge<String> merge = new PartitionMerge<>(2);
        merge.answered("a:1", new Partitioned<>(Map.of(0, List.of("x")), Map.of(1, "REBALANCING: restoring")), Set.of(0, 1));
        assertThat(merge.result().missing()).containsExactly(new Answer.Missing("a:1", List.of(1), "REBALANCING: restoring"));
    }

    @Test
    void aPartitionAnsweredByTwoInstancesCountsOnceAndAStandbyFillsAGap() {
        PartitionMerge<String> merge = new PartitionMerge<>(3);
        merge.answered("a:1", part(Map.of(0, List.of("x"), 1, List.of("y"))), Set.of(0, 1));
        merge.answered("b:1", part(Map.of(1, List.of("y"))), Set.of(1));
        merge.failed("c:1", Set.of(2), "ConnectException");
        assertThat(merge.uncovered()).containsExactly(2);
        merge.answered("a:1", part(Map.of(2, List.of("w"))), Set.of());
        assertWhole(merge, "x", "y", "w");
    }

    @Test
    void partitionsBeyondTheStoreAreIgnoredAndNoneAnsweredIsAllMissing() {
        PartitionMerge<String> merge = new PartitionMerge<>(2);
        merge.answered("a:1", part(Map.of(5, List.of("stray"))), Set.of());
        Answer<List<String>> answer = merge.result();
        assertThat(answer.value()).isEmpty();
        assertThat(answer.missing()).singleElement().satisfies(m -> assertThat(m.partitions()).containsExactly(0, 1));
    }
}
