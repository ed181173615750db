package io.hubbletopology.processor.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be decoded, or that the model cannot use, to the dead-letter topic
 * ({@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}) as it arrived (same key and value bytes),
 * and lets processing go on. Headers use Kafka Streams' own dead-letter names, so tools that know those
 * read ours: {@value #EXCEPTION}, {@value #MESSAGE} (the reason), {@value #TOPIC}, {@value #PARTITION},
 * {@value #OFFSET} (where it came from). Unlike Kafka's own handlers it logs one line without a stack trace,
 * for the first records and then every thousandth: a stream of bad records must not flood the log.
 */
public final class DeadLetters implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final AtomicLong ROUTED = new AtomicLong();

    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        topic = name == null ? null : name.toString();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception e) {
        return DeserializationExceptionHandler.Response.resume(route(context, record.key(), record.value(),
                "cannot decode: " + e.getMessage(), e));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
        String reason = e instanceof UnusableRecordException ? e.getMessage() : "processing failed: " + e;
        return ProcessingExceptionHandler.Response.resume(route(context, context.sourceRawKey(),
                context.sourceRawValue(), reason, e));
    }

    private List<ProducerRecord<byte[], byte[]>> route(ErrorHandlerContext context, byte[] key, byte[] value,
                                                       String reason, Exception e) {
        long n = ROUTED.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            log.warn("Record {}-{}@{} sent to the dead-letter topic {} ({} so far): {}", context.topic(),
                    context.partition(), context.offset(), topic, n, reason);
        }
        if (topic == null) {
            return List.of();
        }
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, context.timestamp(), key, value);
        letter.headers().add(EXCEPTION, utf8(e.getClass().getName()))
                .add(MESSAGE, utf8(reason))
                .add(TOPIC, utf8(context.topic()))
                .add(PARTITION, utf8(String.valueOf(context.partition())))
                .add(OFFSET, utf8(String.valueOf(context.offset())));
        return List.of(letter);
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
