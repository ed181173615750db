package io.hubbletopology.sink.remote;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hubbletopology.sink.series.Sample;

/**
 * Writes one batch so that a sample the TSDB refuses for good costs only itself: Prometheus refuses a whole request
 * for one out-of-order or out-of-bounds sample, so a refused batch is split in halves, and the halves again, until
 * the refused samples stand alone. A retryable answer anywhere stops the batch: it is sent again whole later
 * (samples already stored are then identical, so the TSDB keeps one).
 */
public final class BatchWriter {

    /**
     * @param retry    null when the batch is done; else why it must be sent again
     * @param accepted samples stored
     * @param rejected samples refused for good, by {@link WriteOutcome#rejectionKind()}, with the first reason of each
     */
    public record Result(WriteOutcome retry, int accepted, Map<String, Refusal> rejected) {
    }

    public record Refusal(int samples, WriteOutcome first) {
    }

    private final RemoteWriteClient client;

    public BatchWriter(RemoteWriteClient client) {
        this.client = client;
    }

    public Result write(List<Sample> samples) {
        Map<String, Refusal> rejected = new TreeMap<>();
        int[] accepted = {0};
        WriteOutcome retry = write(samples, accepted, rejected);
        return new Result(retry, accepted[0], rejected);
    }

    private WriteOutcome write(List<Sample> samples, int[] accepted, Map<String, Refusal> rejected) {
        WriteOutcome outcome = client.write(samples);
        switch (outcome.kind()) {
            case ACCEPTED -> accepted[0] += samples.size();
            case RETRY -> {
                return outcome;
            }
            case REJECTED -> {
                if (samples.size() == 1) {
                    rejected.merge(outcome.rejectionKind(), new Refusal(1, outcome),
                            (a, b) -> new Refusal(a.samples() + b.samples(), a.first()));
                    return null;
                }
                int half = samples.size() / 2;
                WriteOutcome first = write(samples.subList(0, half), accepted, rejected);
                return first != null ? first : write(samples.subList(half, samples.size()), accepted, rejected);
            }
        }
        return null;
    }
}
