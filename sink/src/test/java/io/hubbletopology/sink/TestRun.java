package io.hubbletopology.sink;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One test's own names on the shared broker, its topics and consumer groups ending in {@link #id()} so that no other
 * run's records reach them, and the start of its first window, on a whole minute.
 */
record TestRun(String id, String edgesTopic, String linksTopic, Instant firstWindow) {

    /** Topics {@code prefix-edges-id} and {@code prefix-links-id}; the first window a whole minute at least {@code ago}. */
    static TestRun start(String prefix, Duration ago) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return new TestRun(id, prefix + "-edges-" + id, prefix + "-links-" + id,
                Instant.now().minus(ago).truncatedTo(ChronoUnit.MINUTES));
    }
}
