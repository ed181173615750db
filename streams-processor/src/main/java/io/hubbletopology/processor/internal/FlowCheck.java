package io.hubbletopology.processor.internal;

import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets through the flows the model can use and rejects the others with the reason, so they reach the
 * dead-letter topic: a flow needs its edge key (the partitioning of every edge relies on it), a time, and
 * both endpoints.
 */
final class FlowCheck extends ContextualFixedKeyProcessor<String, FlowView, FlowView> {

    @Override
    public void process(FixedKeyRecord<String, FlowView> record) {
        FlowView flow = record.value();
        if (record.key() == null || record.key().isEmpty()) {
            throw new UnusableRecordException("flow without key: the ingest keys every flow by its edge");
        }
        if (flow == null) {
            throw new UnusableRecordException("empty value: a flow was expected");
        }
        if (flow.timeUnixNanos() <= 0) {
            throw new UnusableRecordException("flow without time");
        }
        if (flow.source() == null || flow.destination() == null) {
            throw new UnusableRecordException("flow without " + (flow.source() != null ? "destination" : "source") + " endpoint");
        }
        context().forward(record);
    }
}
