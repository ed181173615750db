package io.hubbletopology.processor.internal;

import org.apache.kafka.streams.state.ValueAndTimestamp;

import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.Workload;

/** Reads the model's view out of what the key-value stores keep, for the query facade. */
public final class StoreValues {

    private StoreValues() {
    }

    public static LinkState link(Object stored) {
        return ((TrackedLink) unwrap(stored)).link();
    }

    public static Workload workload(Object stored) {
        return ((TrackedWorkload) unwrap(stored)).workload();
    }

    // DSL tables are timestamped stores; whether IQv2 hands back the bare value depends on the query type.
    private static Object unwrap(Object stored) {
        return stored instanceof ValueAndTimestamp<?> vt ? vt.value() : stored;
    }
}
