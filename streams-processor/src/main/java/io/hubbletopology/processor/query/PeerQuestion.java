package io.hubbletopology.processor.query;

import java.time.Instant;
import java.util.Objects;

import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;

/**
 * What one instance asks another for: that instance's own part of a whole-cluster answer, per partition
 * ({@link Partitioned}). How the question travels is the {@link Peers}' business.
 *
 * @param <T> what the answer holds
 */
public sealed interface PeerQuestion<T> {

    /** What the answer's items are. */
    Class<T> itemType();

    /** Each edge's figures over {@code [from, to]}, from the partitions the asked instance is active for. */
    record Edges(Instant from, Instant to) implements PeerQuestion<EdgeStats> {
        public Edges {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public Class<EdgeStats> itemType() {
            return EdgeStats.class;
        }
    }

    /** Every link state of the partitions the asked instance is active for. */
    record Links() implements PeerQuestion<LinkState> {
        @Override
        public Class<LinkState> itemType() {
            return LinkState.class;
        }
    }

    /** The workloads of the partitions the asked instance is active for. */
    record Workloads() implements PeerQuestion<Workload> {
        @Override
        public Class<Workload> itemType() {
            return Workload.class;
        }
    }

    /** One edge's windows over {@code [from, to]}, from the asked instance's copy (active or standby) of its partition. */
    record Series(String key, Instant from, Instant to) implements PeerQuestion<EdgeUpdate> {
        public Series {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public Class<EdgeUpdate> itemType() {
            return EdgeUpdate.class;
        }
    }
}
