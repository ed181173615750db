package io.hubbletopology.ingest.hubble;

import io.hubbletopology.records.FlowRecord;

/** Where a source hands each flow it read; may block to slow the source down. */
@FunctionalInterface
public interface FlowSink {
    void accept(FlowRecord flow);
}
