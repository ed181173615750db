package io.hubbletopology.sink;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.processor.output.EdgeUpdate;
import io.hubbletopology.processor.output.LinkState;
import io.hubbletopology.processor.output.OutputJson;
import io.hubbletopology.sink.health.SinkMetrics;
import io.hubbletopology.sink.offsets.OffsetLedger;
import io.hubbletopology.sink.remote.BatchWriter;
import io.hubbletopology.sink.remote.RemoteWriteClient;
import io.hubbletopology.sink.series.Sample;
import io.hubbletopology.sink.series.SeriesMapping;
import io.hubbletopology.sink.windows.HeldRecord;
import io.hubbletopology.sink.windows.PendingWindows;

/**
 * The sink: reads the edge updates and link states topics, holds each edge window's latest record until the window
 * is final, and writes the samples ({@link SeriesMapping}) by Prometheus remote write. Delivery is at least once:
 * an offset is committed only once the TSDB acknowledged every record before it ({@link OffsetLedger}); what is
 * written again after a crash is the same samples (same series, time and value), which a TSDB keeps once.
 *
 * <p>One thread does everything, so the state needs no locks. While the TSDB cannot take a write (5xx, 429, no
 * connection), the thread retries with backoff and keeps polling with its partitions paused: it stays in the group,
 * reads nothing more, and holds no more memory.
 *
 * <pre>{@code
 * TsdbSink sink = new TsdbSink(SinkConfig.from(values), new SinkMetrics(registry));
 * sink.start();
 * ...
 * sink.stop();
 * }</pre>
 */
public final class TsdbSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TsdbSink.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final SinkConfig config;
    private final SinkMetrics metrics;
    private final Clock clock;
    private final SeriesMapping mapping;
    private final BatchWriter writer;
    private final OffsetLedger ledger = new OffsetLedger();
    private final PendingWindows pending;
    private final Outbox outbox;
    private final Set<String> loggedOnce = new HashSet<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private volatile boolean running;
    private volatile boolean commitOnStop = true;
    private volatile boolean polled;
    private volatile boolean writing = true;

    public TsdbSink(SinkConfig config, SinkMetrics metrics) {
        this(config, metrics, Clock.systemUTC());
    }

    TsdbSink(SinkConfig config, SinkMetrics metrics, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.mapping = new SeriesMapping(config.extraLabels());
        this.writer = new BatchWriter(new RemoteWriteClient(config.target()));
        this.pending = new PendingWindows(config.windowGrace(), config.maxPendingWindows());
        this.outbox = new Outbox(config.maxBatchSamples(), config.maxBatchBytes());
        metrics.bind(pending::size, ledger::heldRecords, pending::forced);
    }

    public synchronized void start() {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The processor may write in transactions: only committed figures are final figures.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.edgesTopic(), config.linksTopic()), new Rebalance());
        running = true;
        thread = new Thread(this::run, "tsdb-sink");
        thread.start();
        log.info("Sink reading {} and {} as group {}, writing to {}", config.edgesTopic(), config.linksTopic(),
                config.groupId(), config.target().url());
    }

    /** Has polled Kafka, and the TSDB takes writes: for /ready. */
    public boolean ready() {
        return polled && writing;
    }

    /** Stops after the current request, committing what the TSDB has. */
    public void stop() {
        stop(true);
    }

    /** Stops like a crash would: nothing more is committed. For tests of what a restart writes again. */
    void halt() {
        stop(false);
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void stop(boolean commit) {
        if (thread == null) {
            return;
        }
        commitOnStop = commit;
        running = false;
        consumer.wakeup();
        try {
            thread.join(config.target().timeout().plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        try {
            while (running) {
                accept(consumer.poll(POLL));
                polled = true;
                outbox.addAll(pending.takeFinal(clock.millis(), this::caughtUp));
                flush();
                commit();
            }
        } catch (WakeupException e) {
            // stop() woke the poll.
        } catch (KafkaException e) {
            log.error("Sink stopped: Kafka failed: {}", e.toString());
        } finally {
            if (commitOnStop) {
                try {
                    commit();
                } catch (KafkaException e) {
                    log.warn("Last commit failed: {}", e.toString());
                }
            }
            consumer.close(commitOnStop ? Duration.ofSeconds(5) : Duration.ZERO);
            log.info("Sink stopped; {} edge windows were not final yet and will be read again", pending.size());
        }
    }

    private void accept(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            ledger.read(partition, record.offset());
            if (record.value() == null) {
                continue;
            }
            try {
                if (record.topic().equals(config.edgesTopic())) {
                    EdgeUpdate update = OutputJson.MAPPER.readValue(record.value(), EdgeUpdate.class);
                    HeldRecord held = new HeldRecord(partition, record.offset(), mapping.edge(update));
                    ledger.hold(partition, record.offset());
                    pending.put(update.topicKey(), update.windowStart().toEpochMilli(), update.windowEnd().toEpochMilli(), held)
                            .ifPresent(replaced -> ledger.release(replaced.partition(), replaced.offset()));
                } else {
                    List<Sample> samples = mapping.link(OutputJson.MAPPER.readValue(record.value(), LinkState.class));
                    ledger.hold(partition, record.offset());
                    outbox.addAll(List.of(new HeldRecord(partition, record.offset(), samples)));
                }
            } catch (IOException | RuntimeException e) {
                metrics.recordsUnreadable().increment();
                if (loggedOnce.add("unreadable " + record.topic())) {
                    log.warn("Skipping unreadable record {}-{}@{} (logged once per topic): {}", record.topic(),
                            record.partition(), record.offset(), e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            lag += consumer.currentLag(partition).orElse(0);
        }
        metrics.lag(lag);
    }

    private boolean caughtUp(TopicPartition partition) {
        OptionalLong lag = consumer.currentLag(partition);
        return lag.isPresent() && lag.getAsLong() == 0;
    }

    private void flush() {
        while (!outbox.isEmpty() && running) {
            List<HeldRecord> batch = outbox.peekBatch();
            List<Sample> samples = batch.stream().flatMap(r -> r.samples().stream()).toList();
            BatchWriter.Result result = samples.isEmpty() ? new BatchWriter.Result(null, 0, Map.of()) : writer.write(samples);
            RetryDelays delays = new RetryDelays(config.maxBackoff());
            int retries = 0;
            while (result.retry() != null && running) {
                Duration delay = delays.next();
                if (retries++ == 0) {
                    writing = false;
                    log.warn("TSDB did not take {} samples ({}{}); retrying with backoff up to {}", samples.size(),
                            result.retry().status() == 0 ? "" : "HTTP " + result.retry().status() + ": ",
                            result.retry().reason(), config.maxBackoff());
                }
                metrics.samplesRetried().increment(samples.size());
                waitPolling(delay);
                result = writer.write(samples);
            }
            if (result.retry() != null) {
                return;
            }
            if (retries > 0) {
                writing = true;
                log.info("TSDB took the samples after {} retries", retries);
            }
            result.rejected().forEach((kind, refusal) -> {
                metrics.rejected(kind, refusal.samples());
                if (loggedOnce.add("rejected " + kind)) {
                    log.warn("TSDB refused {} samples for good ({}, HTTP {}: {}); counted in "
                            + "hubble_topology_sink_samples_failed_total, logged once per kind", refusal.samples(), kind,
                            refusal.first().status(), refusal.first().reason());
                }
            });
            metrics.samplesSent().increment(result.accepted());
            outbox.remove(batch);
            batch.forEach(r -> ledger.release(r.partition(), r.offset()));
            commit();
        }
    }

    /** Sleeps without leaving the group: partitions paused, so polls return nothing but keep the member alive. */
    private void waitPolling(Duration delay) {
        Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
        consumer.pause(paused);
        long until = System.nanoTime() + delay.toNanos();
        try {
            while (running && System.nanoTime() < until) {
                accept(consumer.poll(Duration.ofNanos(Math.min(POLL.toNanos(), Math.max(1, until - System.nanoTime())))));
            }
        } finally {
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
        offsets.keySet().retainAll(consumer.assignment());
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            ledger.committed(offsets);
        } catch (org.apache.kafka.clients.consumer.CommitFailedException
                 | org.apache.kafka.common.errors.RebalanceInProgressException
                 | org.apache.kafka.common.errors.RetriableException e) {
            log.warn("Commit of {} partitions failed, will try again: {}", offsets.size(), e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (running) {
                commit();
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Sink assigned {}", partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                pending.dropPartition(partition);
                ledger.forget(partition);
            }
        }
    }
}
