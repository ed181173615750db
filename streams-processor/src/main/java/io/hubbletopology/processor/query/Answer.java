package io.hubbletopology.processor.query;

import java.util.List;

/**
 * An answer for the whole cluster, merged from every instance, saying whether it is complete.
 *
 * @param value   the merged answer
 * @param missing what could not be asked: empty when the answer is complete
 */
public record Answer<T>(T value, List<Missing> missing) {

    public Answer {
        missing = List.copyOf(missing);
    }

    /** True when some instance's part of the answer is missing: the answer undercounts. */
    public boolean partial() {
        return !missing.isEmpty();
    }

    /**
     * A part of the answer that is missing.
     *
     * @param instance   the instance that holds it (host:port), or "unassigned" while a rebalance moves it
     * @param partitions the partitions of the store it holds
     * @param reason     why it is missing
     */
    public record Missing(String instance, List<Integer> partitions, String reason) {
    }
}
