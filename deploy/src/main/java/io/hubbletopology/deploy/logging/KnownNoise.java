package io.hubbletopology.deploy.logging;

import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the few warnings that a normal start and stop print although nothing is wrong and nothing of ours
 * can prevent them; everything else passes. Each entry says why it cannot be fixed at its cause.
 */
public final class KnownNoise extends TurboFilter {

    /**
     * At shutdown the embedded broker's own code (Kafka's broker server, not ours: we call shutdown once) closes
     * the NetworkClient of its controller registration channel a second time, which only logs this. The logger
     * is the NetworkClient every Kafka client shares, so only the broker's registration channel is matched.
     */
    static final String NETWORK_CLIENT_CLOSED_TWICE = "Attempting to close NetworkClient that has already been closed.";
    static final String REGISTRATION_CHANNEL = "[NodeToControllerChannelManager";

    /**
     * A broker formatted a moment ago (every demo, every first start) has an empty metadata log by definition;
     * Kafka's controller says so at WARN each time it activates on one.
     */
    static final String FRESH_METADATA_LOG = "The metadata log appears to be empty.";

    /**
     * A flow search (REST, the Observer API) reads the flows topic's partitions one after another with one consumer,
     * assigning the next when it is done with one; a fetch still in flight for the partition it left comes back
     * after it, and Kafka's consumer says at WARN that it drops the high watermark of a partition no longer
     * assigned. Nothing is lost (the search has read what it needed); one line per partition per search otherwise.
     */
    static final String HIGH_WATERMARK_OF_LEFT_PARTITION = "Not updating high watermark for partition";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format != null && level == Level.WARN && format.endsWith(NETWORK_CLIENT_CLOSED_TWICE)
                && format.startsWith(REGISTRATION_CHANNEL)
                && logger.getName().equals("org.apache.kafka.clients.NetworkClient")) {
            return FilterReply.DENY;
        }
        if (format != null && level == Level.WARN && format.contains(FRESH_METADATA_LOG)
                && logger.getName().equals("org.apache.kafka.controller.QuorumController")) {
            return FilterReply.DENY;
        }
        if (format != null && level == Level.WARN && format.contains(HIGH_WATERMARK_OF_LEFT_PARTITION)
                && logger.getName().equals("org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils")) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
