package io.hubbletopology.sink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.hubbletopology.sink.series.Sample;
import io.hubbletopology.sink.windows.HeldRecord;

/**
 * Records whose samples are to be written, in the order they became ready, cut into batches bounded in samples and
 * bytes. A record's samples stay in one batch (a record is committed as a whole), so a batch may exceed the sample
 * bound by one record's worth; one record alone is always a batch, whatever its size.
 */
final class Outbox {

    private final ArrayDeque<HeldRecord> queue = new ArrayDeque<>();
    private final int maxSamples;
    private final int maxBytes;

    Outbox(int maxSamples, int maxBytes) {
        this.maxSamples = maxSamples;
        this.maxBytes = maxBytes;
    }

    void addAll(Collection<HeldRecord> records) {
        queue.addAll(records);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The next batch, left in the queue until {@link #remove} says it was written. */
    List<HeldRecord> peekBatch() {
        List<HeldRecord> batch = new ArrayList<>();
        int samples = 0;
        int bytes = 0;
        for (HeldRecord record : queue) {
            int recordBytes = record.samples().stream().mapToInt(Sample::approximateBytes).sum();
            if (!batch.isEmpty() && (samples + record.samples().size() > maxSamples || bytes + recordBytes > maxBytes)) {
                break;
            }
            batch.add(record);
            samples += record.samples().size();
            bytes += recordBytes;
        }
        return batch;
    }

    void remove(List<HeldRecord> batch) {
        for (int i = 0; i < batch.size(); i++) {
            queue.poll();
        }
    }
}
