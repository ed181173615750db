package io.hubbletopology.processor.internal;

import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;

/**
 * Where the live views ({@link EdgeWindows}, {@link LiveLinks}) hand the provisional states of what changed: the
 * live topic ({@link LivePublisher}), or a list in tests. Called on a stream thread; must not block for long.
 */
public interface LiveSink {

    /** For a topology nobody follows live: tests and benchmarks of the stores and output topics. */
    LiveSink DISCARD = new LiveSink() {
        @Override
        public boolean edge(String edgeKey, EdgeUpdate update) {
            return true;
        }

        @Override
        public boolean link(String linkKey, LinkState link) {
            return true;
        }
    };

    /** Takes an edge's provisional state in one window; false when it cannot now (the caller tries again later). */
    boolean edge(String edgeKey, EdgeUpdate update);

    /** Takes a link's latest state; false when it cannot now. */
    boolean link(String linkKey, LinkState link);
}
