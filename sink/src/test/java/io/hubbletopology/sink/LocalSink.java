package io.hubbletopology.sink;

import java.util.HashMap;
import java.util.Map;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.sink.health.SinkMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A started {@link TsdbSink} for the ITs: small batches and backoff so a test sees writes and retries quickly, no
 * health port, {@code cluster=it} on every sample; {@code settings} add to or override these.
 */
final class LocalSink {

    private LocalSink() {
    }

    static TsdbSink start(LocalTsdb tsdb, String bootstrap, String edgesTopic, String linksTopic, String group,
                          Map<String, String> settings) {
        return start(tsdb, bootstrap, edgesTopic, linksTopic, group, settings, new SinkMetrics(new SimpleMeterRegistry()));
    }

    static TsdbSink start(LocalTsdb tsdb, String bootstrap, String edgesTopic, String linksTopic, String group,
                          Map<String, String> settings, SinkMetrics metrics) {
        return start(tsdb.remoteWriteUrl(), bootstrap, edgesTopic, linksTopic, group, settings, metrics);
    }

    static TsdbSink start(String remoteWriteUrl, String bootstrap, String edgesTopic, String linksTopic, String group,
                          Map<String, String> settings, SinkMetrics metrics) {
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap_servers", bootstrap, "sink.group_id", group,
                "topics.edge_updates", edgesTopic, "topics.link_changes", linksTopic,
                "sink.remote_write_url", remoteWriteUrl, "sink.extra_labels", "cluster=it",
                "sink.batch.max_samples", "50", "sink.retry.max_backoff", "1s", "health.port", "-1"));
        values.putAll(settings);
        TsdbSink sink = new TsdbSink(SinkConfig.from(ConfigValues.of(values)), metrics);
        sink.start();
        return sink;
    }
}
