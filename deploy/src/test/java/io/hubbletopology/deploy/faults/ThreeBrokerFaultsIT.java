package io.hubbletopology.deploy.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.deploy.ExpectedTopology;
import io.hubbletopology.deploy.Http;
import io.hubbletopology.deploy.JarProcess;
import io.hubbletopology.deploy.TestPorts;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.topics.TopicNames;

/**
 * Three brokers ({@code broker --nodes 3}, replication 3 and min.insync.replicas=2 by default), the processor
 * (exactly-once) and the agent, each its own process, one stream of flows through three faults in turn: the
 * leader of most flow partitions killed with SIGKILL and restarted; the active controller killed (the quorum
 * loses a member and elects another) and restarted; a broker down for longer than the agent's delivery timeout.
 * Each time the roles see the loss (their Kafka clients count closed connections), keep working and are ready
 * again by themselves; at the end the topology counts every flow Hubble sent, once.
 *
 * <p>The agent's delivery timeout is unbounded by default; here it is 30 s ({@code --set
 * kafka.properties.delivery.timeout.ms}, docs/sizing.md) so that the third fault outlasts it within CI's time:
 * what must not outlast it is the move of the dead broker's leaderships, not the broker's absence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ThreeBrokerFaultsIT {

    private static final Logger log = LoggerFactory.getLogger(ThreeBrokerFaultsIT.class);
    private static final long SEED = 20;
    private static final int FLOWS = 14_000;
    private static final double STREAMING = 300;
    /** While a node restarts the stream slows down, so that every fault still meets one, however slow the machine. */
    private static final double TRICKLE = 3;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    private static final String FLOWS_TOPIC = TopicNames.DEFAULT_FLOWS;
    /** Kafka's broker.session.timeout.ms (9 s) and room for a busy machine. */
    private static final Duration FENCED_WITHIN = Duration.ofSeconds(45);

    private Path dir;
    private SimulatedHubbleServer hubble;
    private JarProcess brokerRole;
    private JarProcess processor;
    private JarProcess ingest;
    private BrokerNodes nodes;
    private String api;
    private String agentMetrics;

    @BeforeAll
    void startThePipeline() throws Exception {
        dir = Files.createTempDirectory("three-broker-faults");
        int base = TestPorts.run(6);
        String kafka = "127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:" + (base + 2);
        brokerRole = Pipeline.brokers("three-brokers", base, 3, dir.resolve("kafka"));
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                .until(() -> brokerRole.stdout().contains("Kafka broker ready on " + kafka) || !brokerRole.alive());
        assertThat(brokerRole.alive()).as("broker role running; see target/it-processes/three-brokers.*").isTrue();
        nodes = BrokerNodes.of(brokerRole, kafka, 3);

        hubble = SimulatedHubbleServer.builder().source(new SyntheticCluster(SEED)::next)
                .flowsPerSecond(STREAMING).maxFlows(FLOWS).startPaused().start();
        int apiPort = TestPorts.next();
        int healthPort = TestPorts.next();
        processor = Pipeline.processor("three-brokers-processor", kafka, apiPort, dir.resolve("state"));
        ingest = Pipeline.ingest("three-brokers-ingest", kafka, hubble.port(), healthPort,
                "--set", "kafka.properties.delivery.timeout.ms=" + DELIVERY_TIMEOUT.toMillis(),
                "--set", "kafka.properties.request.timeout.ms=10000");
        api = "http://127.0.0.1:" + apiPort;
        agentMetrics = "http://127.0.0.1:" + healthPort + "/metrics";
        await().atMost(Duration.ofSeconds(120)).until(() -> hubble.followers() == 1);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Http.get(api + "/ready").status() == 200);
        // The roles sized their topics to the cluster: three replicas, two of them in sync for a write.
        assertThat(nodes.admin().describeTopics(java.util.List.of(FLOWS_TOPIC)).allTopicNames().get().get(FLOWS_TOPIC)
                .partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        hubble.resume();
    }

    @Test
    @Order(1)
    void theLeaderOfTheBusiestPartitionsKilledMidStreamAndRestarted() throws Exception {
        streamUntil(FLOWS / 7);
        // Losing the controller is the next fault; here only partition leaderships move.
        killAndRestart(nodes.busiestLeader(FLOWS_TOPIC, nodes.activeController()), "leader", killedAt -> { });
    }

    @Test
    @Order(2)
    void theControllerQuorumLosesAMemberAndElectsAnother() throws Exception {
        streamUntil(2 * FLOWS / 7);
        int controller = nodes.activeController();
        // Fenced means another controller decided it: the two voters left elected one of them.
        killAndRestart(controller, "controller", killedAt -> assertThat(nodes.activeController()).isNotEqualTo(controller));
    }

    @Test
    @Order(3)
    void aBrokerDownLongerThanTheAgentsDeliveryTimeoutLosesNothing() throws Exception {
        streamUntil(3 * FLOWS / 7);
        killAndRestart(nodes.busiestLeader(FLOWS_TOPIC, 0), "outage", killedAt -> {
            double publishedAtFencing = published();
            long left = DELIVERY_TIMEOUT.plusSeconds(5).toNanos() - (System.nanoTime() - killedAt);
            Thread.sleep(Math.max(0, left / 1_000_000));
            assertThat(published()).as("the agent publishes while a broker is away").isGreaterThan(publishedAtFencing);
            log.info("Node down for {} s", (System.nanoTime() - killedAt) / 1_000_000_000);
        });
    }

    /** What a test checks while the node is down, once it is fenced. */
    private interface WhileDown {
        void check(long killedAtNanos) throws Exception;
    }

    /** SIGKILL mid-stream, until fenced, the check, the same node started again, and the recovery. */
    private void killAndRestart(int node, String fault, WhileDown whileDown) throws Exception {
        Losses before = losses();
        long killedAt = System.nanoTime();
        nodes.kill(node, FENCED_WITHIN);
        log.info("Killed node {} ({}) after {} flows; fenced after {} ms", node, fault, hubble.emitted(),
                (System.nanoTime() - killedAt) / 1_000_000);
        whileDown.check(killedAt);
        nodes.restart(node, "three-brokers-" + fault + "-node-" + node);
        recovered(before);
    }

    @Test
    @Order(4)
    void afterwardsTheTopologyCountsEveryFlowHubbleSentOnce() throws Exception {
        hubble.flowsPerSecond(STREAMING * 2);
        await().atMost(Duration.ofSeconds(120)).until(() -> hubble.emitted() >= FLOWS);
        Pipeline.assertExactCounts(api, ExpectedTopology.nonReplyEdgeCounts(SEED, FLOWS), Duration.ofSeconds(120));
        assertThat(Scrape.sum(agentMetrics, "hubble_topology_ingest_records_dropped_total"::equals)).as("dropped").isZero();
        assertThat(Scrape.sum(agentMetrics, "hubble_topology_ingest_producer_errors_total"::equals)).as("send errors").isZero();
        assertThat(processor.alive()).isTrue();
        assertThat(ingest.alive()).isTrue();
    }

    /** Streams at full rate until Hubble has sent {@code flows}; the fault then lands mid-stream. */
    private void streamUntil(int flows) {
        hubble.flowsPerSecond(STREAMING);
        await().atMost(Duration.ofSeconds(120)).until(() -> hubble.emitted() >= flows);
    }

    private record Losses(double agent, double processor) {
    }

    private Losses losses() throws Exception {
        return new Losses(Scrape.kafkaConnectionsClosed(agentMetrics), Scrape.kafkaConnectionsClosed(api + "/metrics"));
    }

    private double published() throws Exception {
        return Scrape.sum(agentMetrics, "hubble_topology_ingest_flows_published_total"::equals);
    }

    /** The node is back and caught up, both roles saw a broker go and are ready without anyone's help. */
    private void recovered(Losses before) throws Exception {
        hubble.flowsPerSecond(TRICKLE);
        nodes.awaitAll(3, Duration.ofSeconds(90));
        nodes.awaitFullyReplicated(FLOWS_TOPIC, 3, Duration.ofSeconds(90));
        Losses after = losses();
        assertThat(after.agent()).as("the agent's Kafka clients saw a broker go").isGreaterThan(before.agent());
        assertThat(after.processor()).as("the processor's Kafka clients saw a broker go").isGreaterThan(before.processor());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> Http.get(api + "/ready").status() == 200
                        && Http.get(agentMetrics.replace("/metrics", "/readyz")).status() == 200);
        assertThat(brokerRole.alive()).as("the broker role outlives one of its nodes").isTrue();
    }

    @AfterAll
    void stop() throws Exception {
        if (brokerRole != null) {
            // As an operator stops it: SIGTERM, and the role stops every node it started.
            brokerRole.signal("TERM");
            brokerRole.awaitExit(Duration.ofSeconds(45));
        }
        for (AutoCloseable c : new AutoCloseable[] {ingest, processor, hubble, nodes, brokerRole}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
