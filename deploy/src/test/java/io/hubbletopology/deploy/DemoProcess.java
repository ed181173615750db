package io.hubbletopology.deploy;

import java.io.IOException;
import java.time.Duration;

/**
 * The README's {@code java -jar hubble-topology.jar demo} as a user starts it, in a process of its own
 * ({@link JarProcess}): only the API port is chosen, since 8080 may be taken here.
 */
record DemoProcess(JarProcess process, int apiPort) implements AutoCloseable {

    /** Output under target/it-processes/{@code name}.*. */
    static DemoProcess start(String name) throws IOException {
        int apiPort = TestPorts.next();
        return new DemoProcess(JarProcess.start(name, "768m", "demo", "--api-port", String.valueOf(apiPort)), apiPort);
    }

    /** The API (and the page) on loopback. */
    String api() {
        return "http://127.0.0.1:" + apiPort;
    }

    void signal(String signal) throws IOException, InterruptedException {
        process.signal(signal);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    String stdout() throws IOException {
        return process.stdout();
    }

    String stderr() throws IOException {
        return process.stderr();
    }

    @Override
    public void close() {
        process.close();
    }
}
