package io.hubbletopology.probes;

import java.util.List;

/**
 * The probe paths every role with an HTTP port answers (the agent and the sink on {@code health.port}, the
 * processor on {@code api.port}), so one kubelet probe, unit check or script fits every role. The first path of
 * each list is the one the manifests and docs use (the processor's from the start); the others are the agent's
 * and sink's first names, kept as aliases so probes written against them keep working.
 *
 * <pre>{@code
 * for (String path : ProbePaths.LIVENESS) {
 *     server.createContext(path, alive);
 * }
 * }</pre>
 */
public final class ProbePaths {

    /** Liveness: the process answers. Restarting for anything else (a broker away, a long restore) helps nobody. */
    public static final String HEALTH = "/health";
    /** Readiness: the role can do its job now (Streams RUNNING, Hubble and Kafka connected, the TSDB writable). */
    public static final String READY = "/ready";

    public static final List<String> LIVENESS = List.of(HEALTH, "/healthz");
    public static final List<String> READINESS = List.of(READY, "/readyz");

    private ProbePaths() {
    }
}
