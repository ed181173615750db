package io.hubbletopology.threads;

import java.util.concurrent.ThreadFactory;

/**
 * The threads of a role's own background work (pollers, readers, senders, timers). Daemons, so that a role whose
 * stop was never reached (a test that failed half way, a JVM told to exit) cannot keep the process alive; each
 * named, so that a thread dump or a log line says whose work it is.
 *
 * <pre>{@code
 * ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sysfs-links"));
 * Thread reader = DaemonThreads.start("replay-read", this::read);
 * }</pre>
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory of daemon threads that all carry {@code name}, for an executor. */
    public static ThreadFactory named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A daemon thread running {@code task}, already started. */
    public static Thread start(String name, Runnable task) {
        Thread thread = named(name).newThread(task);
        thread.start();
        return thread;
    }
}
