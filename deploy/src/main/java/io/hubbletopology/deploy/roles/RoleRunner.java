package io.hubbletopology.deploy.roles;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * Starts roles in order, waits for Ctrl-C or SIGTERM, then stops them in reverse order and returns, so the
 * process exits with code 0 after an orderly stop. A role that fails to start stops the ones started before it.
 */
public final class RoleRunner {

    private static final Logger log = LoggerFactory.getLogger(RoleRunner.class);

    private final Deque<Role> started = new ArrayDeque<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** Runs the roles until a signal; returns the process exit code. */
    public int run(List<Role> roles, Runnable onStarted) {
        // Handling INT and TERM ourselves (instead of shutdown hooks) lets main stop everything in order
        // and exit with 0, rather than the JVM's 130/143.
        Signal.handle(new Signal("INT"), s -> stopRequested.countDown());
        Signal.handle(new Signal("TERM"), s -> stopRequested.countDown());
        try {
            for (Role role : roles) {
                role.start();
                started.push(role);
            }
        } catch (Exception e) {
            log.error("Could not start: {}", e.getMessage());
            stopAll();
            return 1;
        }
        onStarted.run();
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Stopping");
        stopAll();
        return 0;
    }

    /** Asks a running {@link #run} to stop, as a signal would. */
    public void requestStop() {
        stopRequested.countDown();
    }

    private void stopAll() {
        while (!started.isEmpty()) {
            Role role = started.pop();
            try {
                role.stop();
            } catch (RuntimeException e) {
                log.warn("Stopping {} failed: {}", role.name(), e.toString());
            }
        }
    }
}
