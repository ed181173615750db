package io.hubbletopology.deploy.faults;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import io.hubbletopology.processor.TopologyProcessor;

/**
 * Every state change of a processor's Kafka Streams, as the processor logs them ("Kafka Streams A -> B"):
 * read from the log because Kafka Streams takes a single state listener and the processor holds it. Also
 * notes a replaced stream thread, the other way a bad record could hurt without a state change showing.
 * Only that processor's lines count: those of its own threads (named after its application id) and of the
 * thread that starts and closes it, so another processor in the same JVM cannot add to them.
 */
final class StateTransitions extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final List<String> threadFailures = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(TopologyProcessor.class);
    private final String applicationId;
    private final String owner = Thread.currentThread().getName();

    /** Call on the thread that will start and close the processor of {@code applicationId}. */
    StateTransitions(String applicationId) {
        this.applicationId = applicationId;
        logger.setLevel(Level.INFO);
        start();
        logger.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String thread = event.getThreadName();
        if (!thread.equals(owner) && !thread.startsWith(applicationId + "-")) {
            return;
        }
        String message = event.getFormattedMessage();
        if (message.startsWith("Kafka Streams ")) {
            transitions.add(message.substring("Kafka Streams ".length()));
        } else if (message.contains("stream thread failed")) {
            threadFailures.add(message);
        }
    }

    /** "CREATED -> REBALANCING", "REBALANCING -> RUNNING", ... in order. */
    List<String> transitions() {
        return List.copyOf(transitions);
    }

    List<String> threadFailures() {
        return List.copyOf(threadFailures);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
