package io.hubbletopology.deploy.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes flows to {@code ingest --replay -} as {@code hubble observe -o json --follow} prints them, one JSON line
 * each, timed now: probe flows to edges of their own ({@value #PROBE_NAMESPACE}/statefulset/sender to
 * .../target{@code N}), and other flows spread over {@value #LOAD_EDGES} edges of the {@code load} namespace.
 * Only the paced writer thread calls it.
 */
final class ReplayFeeder implements AutoCloseable {

    static final String PROBE_NAMESPACE = "live-probe";
    static final int LOAD_EDGES = 2_000;

    private final BufferedWriter out;
    private long loadFlows;

    ReplayFeeder(OutputStream stdin) {
        this.out = new BufferedWriter(new OutputStreamWriter(stdin, StandardCharsets.UTF_8), 1 << 16);
    }

    /** The edge id a probe to target {@code n} is counted on (the API's {@code dst}). */
    static String probeTarget(int n) {
        return PROBE_NAMESPACE + "/statefulset/target" + n;
    }

    void probe(int target, Instant time, String uuid) {
        line("sender-0", PROBE_NAMESPACE, "target" + target + "-0", PROBE_NAMESPACE, 8080, time, uuid);
    }

    void load(Instant time) {
        long n = loadFlows++;
        int edge = (int) (n % LOAD_EDGES);
        line("client" + edge / 40 + "-0", "load", "svc" + edge % 40 + "-0", "load", 9000, time, "load-" + n);
    }

    /** Hands what was written to the ingest process. */
    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the ingest process no longer reads its input", e);
        }
    }

    private void line(String srcPod, String srcNamespace, String dstPod, String dstNamespace, int port, Instant time, String uuid) {
        try {
            out.write("{\"flow\":{\"time\":\"" + time + "\",\"verdict\":\"FORWARDED\",\"l4\":{\"TCP\":{\"source_port\":40000,"
                    + "\"destination_port\":" + port + "}},\"source\":{\"namespace\":\"" + srcNamespace + "\",\"pod_name\":\"" + srcPod
                    + "\"},\"destination\":{\"namespace\":\"" + dstNamespace + "\",\"pod_name\":\"" + dstPod + "\"},\"is_reply\":false,"
                    + "\"uuid\":\"" + uuid + "\"},\"node_name\":\"bench-node\"}\n");
        } catch (IOException e) {
            throw new UncheckedIOException("the ingest process no longer reads its input", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // the process is gone already
        }
    }
}
