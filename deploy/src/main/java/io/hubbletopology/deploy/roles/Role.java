package io.hubbletopology.deploy.roles;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A part of the system that runs in this process: started once, stopped once. */
public interface Role {

    /** A short name for logs: the class's, without "Role" ("broker", "processor", "simulated-hubble"). */
    default String name() {
        String simple = getClass().getSimpleName().replaceFirst("Role$", "");
        return simple.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Starts the role; returns once it is started (not necessarily ready). */
    void start() throws Exception;

    /** Stops the role and releases what it holds; must not throw for a role that did not start. */
    void stop();

    /** What the role tells whoever started it, once it runs (where it listens, what it serves); nothing by default. */
    default List<String> readyLines() {
        return List.of();
    }

    /** Completes when the role has done its work and may stop (a replay at the end of its input); most never do. */
    default CompletionStage<?> finished() {
        return new CompletableFuture<>();
    }

    /**
     * Closes what a role started, in the order given, passing over what it did not get to start (null): so that
     * every role's {@link #stop} is one line naming its parts.
     */
    static void close(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing " + part + " failed", e);
            }
        }
    }
}
