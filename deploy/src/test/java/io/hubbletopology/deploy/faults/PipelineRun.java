package io.hubbletopology.deploy.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.deploy.TestPorts;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * What a crash test starts before it kills something: a paused simulated Hubble with a fixed number of flows,
 * and the broker, the exactly-once processor and the agent as processes ({@link Pipeline}), on fresh ports and
 * under one directory, so that a role can be started again on the same port and data. {@link #awaitFollowedAndReady}
 * returns once the agent follows Hubble and the processor's API is ready; the test then resumes Hubble.
 * Closing stops the roles in reverse order, then Hubble.
 */
record PipelineRun(SimulatedHubbleServer hubble, JarProcess broker, JarProcess processor, JarProcess ingest,
                   int kafkaPort, int apiPort, Path kafkaData, Path stateDir) implements AutoCloseable {

    /** Processes named {@code name}-broker, -processor and -ingest; Hubble sends {@code flows} of cluster {@code seed}. */
    static PipelineRun start(String name, Path dir, long seed, int flowsPerSecond, int flows) throws IOException {
        int kafkaPort = TestPorts.next();
        int apiPort = TestPorts.next();
        Path kafkaData = dir.resolve("kafka");
        Path stateDir = dir.resolve("state");
        SimulatedHubbleServer hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(seed)::next)
                .flowsPerSecond(flowsPerSecond).maxFlows(flows).startPaused().start();
        JarProcess broker = null;
        JarProcess processor = null;
        try {
            broker = Pipeline.broker(name + "-broker", kafkaPort, kafkaData);
            processor = Pipeline.processor(name + "-processor", "127.0.0.1:" + kafkaPort, apiPort, stateDir);
            JarProcess ingest = Pipeline.ingest(name + "-ingest", "127.0.0.1:" + kafkaPort, hubble.port());
            return new PipelineRun(hubble, broker, processor, ingest, kafkaPort, apiPort, kafkaData, stateDir);
        } catch (IOException | RuntimeException e) {
            try (hubble; JarProcess startedBroker = broker; JarProcess startedProcessor = processor) {
                throw e;
            }
        }
    }

    String kafka() {
        return "127.0.0.1:" + kafkaPort;
    }

    String api() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** Until the agent follows Hubble and the processor's API is ready, so that what comes next lands mid-stream. */
    void awaitFollowedAndReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> hubble.followers() == 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.get(api() + "/ready").status() == 200);
    }

    /** The roles in reverse order of their start, then Hubble (try-with-resources closes in reverse). */
    @Override
    public void close() {
        try (hubble; broker; processor; ingest) {
            // nothing to do inside: closing them is the point
        }
    }
}
