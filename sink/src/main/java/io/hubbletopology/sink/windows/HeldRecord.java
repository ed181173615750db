package io.hubbletopology.sink.windows;

import java.util.List;

import org.apache.kafka.common.TopicPartition;

import io.hubbletopology.sink.series.Sample;

/**
 * The samples of one record, with where it was read: the unit the sink writes, and whose offset may be committed
 * once the TSDB has them.
 */
public record HeldRecord(TopicPartition partition, long offset, List<Sample> samples) {

    public HeldRecord {
        samples = List.copyOf(samples);
    }
}
