package io.hubbletopology.deploy.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.deploy.SimulatedFlows;
import io.hubbletopology.deploy.TestPorts;
import io.hubbletopology.simulator.SimulatedHubbleServer;

/**
 * What a crash test starts before it kills something: a paused simulated Hubble with a fixed number of flows,
 * and the broker, the exactly-once processor and the agent as processes ({@link Pipeline}), on fresh ports and
 * under one directory, so that a role can be started again on the same port and data. {@link #awaitFollowedAndReady}
 * returns once the agent follows Hubble and the processor's API is ready; the test then resumes Hubble.
 * Closing stops the roles in reverse order, then Hubble.
 *
 * <p>A test kills the broker or the processor mid-stream ({@link #killBrokerAfter}, {@link #killProcessorAfter}),
 * starts it again ({@link #restartBroker}, {@link #restartProcessor}; closing stops those first) and then checks
 * that every flow Hubble sent is counted once ({@link #assertExactCounts}).
 */
record PipelineRun(String name, SimulatedFlows flows, SimulatedHubbleServer hubble, JarProcess broker, JarProcess processor,
                   JarProcess ingest, int kafkaPort, int apiPort, Path kafkaData, Path stateDir, Deque<JarProcess> restarted)
        implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);

    /** Processes named {@code name}-broker, -processor and -ingest; Hubble sends {@code flows} at the rate. */
    static PipelineRun start(String name, Path dir, SimulatedFlows flows, int flowsPerSecond) throws IOException {
        int kafkaPort = TestPorts.next();
        int apiPort = TestPorts.next();
        Path kafkaData = dir.resolve("kafka");
        Path stateDir = dir.resolve("state");
        SimulatedHubbleServer hubble = flows.pausedHubble(flowsPerSecond);
        JarProcess broker = null;
        JarProcess processor = null;
        try {
            broker = Pipeline.broker(name + "-broker", kafkaPort, kafkaData);
            processor = Pipeline.processor(name + "-processor", "127.0.0.1:" + kafkaPort, apiPort, stateDir);
            JarProcess ingest = Pipeline.ingest(name + "-ingest", "127.0.0.1:" + kafkaPort, hubble.port());
            return new PipelineRun(name, flows, hubble, broker, processor, ingest, kafkaPort, apiPort, kafkaData, stateDir,
                    new ArrayDeque<>());
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

    /** Once Hubble has sent {@code emitted} flows, kills the broker with SIGKILL. */
    void killBrokerAfter(int emitted) throws IOException, InterruptedException {
        kill(broker, "broker", emitted);
    }

    /** Once Hubble has sent {@code emitted} flows, kills the processor with SIGKILL. */
    void killProcessorAfter(int emitted) throws IOException, InterruptedException {
        kill(processor, "processor", emitted);
    }

    private void kill(JarProcess role, String what, int emitted) throws IOException, InterruptedException {
        await().atMost(Duration.ofSeconds(60)).until(() -> hubble.emitted() >= emitted);
        role.signal("KILL");
        assertThat(role.awaitExit(Duration.ofSeconds(10))).as(what + " exit after SIGKILL").isEqualTo(137);
        log.info("Killed the {} after {} flows emitted", what, hubble.emitted());
    }

    /** The broker started again on its port and data directory, as systemd or Kubernetes would after a crash. */
    void restartBroker() throws IOException {
        restarted.push(Pipeline.broker(name + "-broker-restarted", kafkaPort, kafkaData));
    }

    /** The processor started again on its API port and state directory. */
    void restartProcessor() throws IOException {
        restarted.push(Pipeline.processor(name + "-processor-restarted", kafka(), apiPort, stateDir));
    }

    /** The topology counts each flow Hubble sent once ({@link Pipeline#assertExactCounts}), and Hubble sent them all. */
    void assertExactCounts(Duration within) throws InterruptedException {
        Pipeline.assertExactCounts(api(), flows.expectedEdgeCounts(), within);
        assertThat(hubble.emitted()).isEqualTo(flows.count());
    }

    /** The restarted roles, latest first, then the roles in reverse order of their start, then Hubble (try-with-resources closes in reverse). */
    @Override
    public void close() {
        try (hubble; broker; processor; ingest) {
            restarted.forEach(JarProcess::close);
        }
    }
}
