package io.hubbletopology.sink.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xerial.snappy.Snappy;

import io.hubbletopology.prometheus.Label;
import io.hubbletopology.prometheus.TimeSeries;
import io.hubbletopology.prometheus.WriteRequest;
import io.hubbletopology.sink.series.Sample;

/** Samples to a remote write body: a {@code WriteRequest}, one time series per label set, snappy block format. */
final class WriteRequests {

    private WriteRequests() {
    }

    static byte[] encode(List<Sample> samples) {
        Map<Map<String, String>, List<Sample>> bySeries = new LinkedHashMap<>();
        for (Sample sample : samples) {
            bySeries.computeIfAbsent(sample.labels(), l -> new ArrayList<>()).add(sample);
        }
        WriteRequest.Builder request = WriteRequest.newBuilder();
        bySeries.forEach((labels, points) -> {
            TimeSeries.Builder series = request.addTimeseriesBuilder();
            // Sample keeps its labels sorted by name, as the spec asks.
            labels.forEach((name, value) -> series.addLabels(Label.newBuilder().setName(name).setValue(value)));
            points.stream().sorted((a, b) -> Long.compare(a.timestampMs(), b.timestampMs())).forEach(p ->
                    series.addSamplesBuilder().setTimestamp(p.timestampMs()).setValue(p.value()));
        });
        try {
            return Snappy.compress(request.build().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("snappy failed", e);
        }
    }
}
