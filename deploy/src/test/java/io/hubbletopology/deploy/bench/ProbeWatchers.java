package io.hubbletopology.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.records.FlowRecord;

/**
 * Where the probes are seen: a {@code /ws/topology} client with no filter, as a live map is, and one consumer on the
 * flows, live and edge updates topics (every partition from its end, no group), each reporting to the
 * {@link ProbeArrivals} on arrival. It also counts the edge updates topic's records per key, and keeps what the
 * feed said of each probe edge (its snapshot's flows, its latest state per window).
 */
final class ProbeWatchers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProbeArrivals arrivals;
    private final String flowsTopic;
    private final String liveTopic;
    private final String edgesTopic;
    private final Map<String, Long> snapshotFlows = new ConcurrentHashMap<>();
    private final Map<String, Long> liveFlows = new ConcurrentHashMap<>();
    private final Map<String, Integer> edgeRecords = new ConcurrentHashMap<>();
    private final Map<String, Long> edgeFlows = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<WebSocket> sockets = new ArrayList<>();
    private volatile boolean following;
    private Thread consumerThread;

    ProbeWatchers(ProbeArrivals arrivals, String flowsTopic, String liveTopic, String edgesTopic) {
        this.arrivals = arrivals;
        this.flowsTopic = flowsTopic;
        this.liveTopic = liveTopic;
        this.edgesTopic = edgesTopic;
    }

    /** Follows the three topics from their end on a thread of its own; returns once they are followed. */
    void followTopics(String kafka) throws InterruptedException {
        consumerThread = new Thread(() -> consume(kafka), "probe-topics");
        consumerThread.setDaemon(true);
        consumerThread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!following && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!following) {
            throw new IllegalStateException("the topics " + List.of(flowsTopic, liveTopic, edgesTopic) + " were not followed within 60 s");
        }
    }

    private void consume(String kafka) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(flowsTopic, liveTopic, edgesTopic)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            following = true;
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    handle(r, System.nanoTime());
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                System.err.println("probe topic consumer stopped: " + e);
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, long nanos) throws Exception {
        if (r.value() == null) {
            return;
        }
        if (r.topic().equals(flowsTopic)) {
            FlowRecord flow = FlowRecord.parseFrom(r.value());
            if (flow.getDestination().getNamespace().equals(ReplayFeeder.PROBE_NAMESPACE)) {
                String pod = flow.getDestination().getPod();
                String target = ReplayFeeder.PROBE_NAMESPACE + "/statefulset/" + pod.substring(0, pod.lastIndexOf('-'));
                long ms = flow.getTimeUnixNanos() / 1_000_000L;
                arrivals.arrived(ProbeArrivals.Stage.FLOWS_TOPIC, target, ms - Math.floorMod(ms, 60_000L), nanos);
            }
            return;
        }
        JsonNode edge = JSON.readTree(r.value());
        if (!edge.path("dst").asText().startsWith(ReplayFeeder.PROBE_NAMESPACE + "/")) {
            return;
        }
        String key = edge.path("dst").asText() + "@" + Instant.parse(edge.path("window_start").asText()).toEpochMilli();
        long windowStart = Instant.parse(edge.path("window_start").asText()).toEpochMilli();
        ProbeArrivals.Stage stage = r.topic().equals(liveTopic) ? ProbeArrivals.Stage.LIVE_TOPIC : ProbeArrivals.Stage.EDGES_TOPIC;
        arrivals.counted(stage, edge.path("dst").asText(), windowStart, edge.path("flows").asLong(), nanos);
        if (stage == ProbeArrivals.Stage.EDGES_TOPIC) {
            edgeRecords.merge(key, 1, Integer::sum);
            edgeFlows.put(key, edge.path("flows").asLong());
        }
    }

    /**
     * Connects a live-map client that counts updates, retrying while the API is not up yet (at most a minute); its
     * snapshot, if the stores could give one yet, is left out.
     */
    void connect(String wsUrl) throws InterruptedException {
        connect(wsUrl, false);
    }

    /** Connects a client, once the pipeline runs, whose snapshot goes to {@link #snapshotFlows}. */
    void connectForSnapshot(String wsUrl) throws InterruptedException {
        connect(wsUrl, true);
    }

    private void connect(String wsUrl, boolean snapshot) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                sockets.add(HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create(wsUrl), new Listener(snapshot)).get(10, TimeUnit.SECONDS));
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot connect to " + wsUrl + ": " + e, e);
                }
                Thread.sleep(500);
            }
        }
    }

    /**
     * The flows of a probe edge in the latest whole snapshot a client was sent, as the feed's contract adds them up
     * (its settled sum and each of its open windows), or null.
     */
    Long snapshotFlows(String target) {
        return snapshotFlows.get(target);
    }

    /** Per probe edge and window ({@code target@windowStart}): the latest state's flows on the WebSocket. */
    Map<String, Long> liveFlows() {
        return Map.copyOf(liveFlows);
    }

    /** Per probe edge and window: the latest record's flows on the edge updates topic. */
    Map<String, Long> edgeFlows() {
        return Map.copyOf(edgeFlows);
    }

    /** Per probe edge and window: how many records the edge updates topic received. */
    Map<String, Integer> edgeRecords() {
        return Map.copyOf(edgeRecords);
    }

    private final class Listener extends WholeTextListener {
        /** This client's snapshot so far, per probe edge; null once its status came, or for a client not asking. */
        private Map<String, Long> snapshot;

        Listener(boolean snapshot) {
            this.snapshot = snapshot ? new java.util.HashMap<>() : null;
        }

        @Override
        protected void onWholeText(StringBuilder message, long receivedNanos) {
            handleMessage(this, message.toString(), receivedNanos);
        }
    }

    private void handleMessage(Listener client, String text, long nanos) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        if ("snapshot".equals(message.path("type").asText()) && client.snapshot != null) {
            snapshotFlows.putAll(client.snapshot);
            client.snapshot = null;
            return;
        }
        JsonNode edge = message.path("edge");
        String dst = message.path("dst").asText();
        if (!"edge".equals(message.path("type").asText()) || !dst.startsWith(ReplayFeeder.PROBE_NAMESPACE + "/")) {
            return;
        }
        if (client.snapshot != null) {
            // The snapshot's parts do not overlap: settled windows summed, then each open window.
            client.snapshot.merge(dst, edge.path("flows").asLong(), Long::sum);
            return;
        }
        if (!edge.hasNonNull("window_start")) {
            return;   // a snapshot's settled sum, sent to a client that counts updates only
        }
        long windowStart = Instant.parse(edge.path("window_start").asText()).toEpochMilli();
        liveFlows.put(dst + "@" + windowStart, edge.path("flows").asLong());
        arrivals.counted(ProbeArrivals.Stage.WEBSOCKET, dst, windowStart, edge.path("flows").asLong(), nanos);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        sockets.forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        if (consumerThread != null) {
            consumerThread.join(5_000);
        }
    }
}
