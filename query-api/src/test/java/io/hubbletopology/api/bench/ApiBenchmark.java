package io.hubbletopology.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.records.L4Protocol;
import io.hubbletopology.topics.TopicNames;

/**
 * The query API under load, against the real broker (in this JVM):
 * <ol>
 *   <li>{@code GET /api/v1/topology?last=15m} over 10,000 edges with 20 concurrent clients, plain and with
 *       {@code Accept-Encoding: gzip}, next to {@code GET /health} with the same clients (the server's floor),
 *       in-process;</li>
 *   <li>the live feed fanning out 1,000 edge updates/s to 2,000 WebSocket clients, next to the same rate to one
 *       client (the latency floor), with the server in a JVM of its own limited to a 512 MB heap: the runnable
 *       jar's {@code processor} role (build it first: {@code mvn -q -o -DskipTests package}).</li>
 * </ol>
 * <pre>
 * mvn -q -o -pl query-api -am -Pbench verify -DskipTests -Dbench.skipCatchUp=true -Dbench=ApiBenchmark -Dbench.args="rest.seconds=20 ws.seconds=20"
 * </pre>
 * Arguments ({@code key=value}, defaults in {@link #DEFAULTS}): parts (rest,ws), rest.seconds, rest.clients,
 * rest.sources, rest.destinations, ws.seconds, ws.clients, ws.rate, ws.edges, ws.heap, ws.updates (the clients' {@code updates}
 * parameter: messages, the default, so that runs compare with the earlier ones, or batched, as the page asks), ws.rcvbuf (each client socket's SO_RCVBUF in bytes; 0, the default:
 * the system's, autotuned), jar.
 */
public final class ApiBenchmark {

    static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("parts", "rest,ws"), Map.entry("rest.seconds", "20"),
            Map.entry("rest.clients", "20"), Map.entry("rest.sources", "100"), Map.entry("rest.destinations", "100"),
            Map.entry("ws.seconds", "20"), Map.entry("ws.clients", "2000"), Map.entry("ws.rate", "1000"),
            Map.entry("ws.edges", "200"), Map.entry("ws.heap", "512m"), Map.entry("ws.updates", "messages"), Map.entry("ws.rcvbuf", "0"), Map.entry("jar", "deploy/target/hubble-topology.jar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(DEFAULTS);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0 || !DEFAULTS.containsKey(arg.substring(0, eq))) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + DEFAULTS.keySet());
            }
            opts.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        System.out.printf("Query API benchmark, %s, %d cores, %s%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.println("Load at start: " + uptime());
        System.out.println("Note: the machine's cores are shared by the load clients, the broker, the server under test and"
                + " other processes; client threads compete with the server for CPU.");
        Path dir = Files.createTempDirectory("api-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerSettings.loopback(dir.resolve("kafka")))) {
            if (opts.get("parts").contains("rest")) {
                restLatency(broker.bootstrapServers(), dir, opts);
            }
            if (opts.get("parts").contains("ws")) {
                fanOut(broker.bootstrapServers(), dir, opts);
            }
        }
        System.out.println("Load at end: " + uptime());
    }

    // ---- Part 1: REST latency over 10,000 edges -------------------------------------------------------------

    private static void restLatency(String bootstrap, Path dir, Map<String, String> opts) throws Exception {
        int sources = Integer.parseInt(opts.get("rest.sources"));
        int destinations = Integer.parseInt(opts.get("rest.destinations"));
        int clients = Integer.parseInt(opts.get("rest.clients"));
        Duration duration = Duration.ofSeconds(Long.parseLong(opts.get("rest.seconds")));
        TopicNames topics = TopicNames.prefixed("api-bench-rest.");
        ProcessorConfig config = ProcessorConfig.defaults(bootstrap, "api-bench-rest", dir.resolve("rest-state"), topics,
                Map.of("processor.commit_interval", "200ms", "processor.window.retention", "1h",
                        "kafka.replication_factor", "1"));
        try (TopologyProcessor processor = new TopologyProcessor(config)) {
            processor.start();
            try (ApiServer api = new ApiServer(new ApiSettings("127.0.0.1", 0, "processor"), processor.queryService())) {
                api.start();
                String base = "http://127.0.0.1:" + api.port();
                int edges = sources * destinations;
                System.out.printf("%nPart 1: GET /api/v1/topology over %,d edges (%d sources x %d destinations), server in this JVM%n",
                        edges, sources, destinations);
                long loading = System.nanoTime();
                loadFlows(bootstrap, topics.flows(), sources, destinations);
                awaitEdges(base, edges, Duration.ofMinutes(3));
                System.out.printf("%,d edges answered after %.1f s%n", edges, (System.nanoTime() - loading) / 1e9);

                HttpLoad load = new HttpLoad();
                URI topology = URI.create(base + "/api/v1/topology?last=15m");
                URI health = URI.create(base + "/health");
                String[] gzip = {"Accept-Encoding", "gzip"};
                HttpLoad.Result healthOne = load.run("GET /health", 1, health, Duration.ofSeconds(5));
                HttpLoad.Result topologyOne = load.run("GET /api/v1/topology?last=15m", 1, topology, Duration.ofSeconds(5));
                HttpLoad.Result gzipOne = load.run("same, Accept-Encoding: gzip", 1, topology, Duration.ofSeconds(5), gzip);
                HttpLoad.Result healthMany = load.run("GET /health", clients, health, duration);
                HttpLoad.Result topologyMany = load.run("GET /api/v1/topology?last=15m", clients, topology, duration);
                HttpLoad.Result gzipMany = load.run("same, Accept-Encoding: gzip", clients, topology, duration, gzip);
                printRest(List.of(healthOne, topologyOne, gzipOne, healthMany, topologyMany, gzipMany), healthMany);
                System.out.printf("Answer: %,d bytes of JSON, %,d gzipped%n", topologyMany.bytesPerAnswer(), gzipMany.bytesPerAnswer());
                for (HttpLoad.Result r : List.of(topologyMany, gzipMany)) {
                    System.out.printf("Aim p99 < 50 ms with %d clients, %s: %s (p99 %.1f ms)%n", clients, r.name(),
                            r.latencies().percentileMillis(0.99) < 50 ? "MET" : "NOT MET", r.latencies().percentileMillis(0.99));
                }
            }
        }
    }

    private static void loadFlows(String bootstrap, String topic, int sources, int destinations) throws Exception {
        String[] namespaces = {"shop", "data", "payments", "kube-system", "monitoring", "auth", "search", "media", "ads", "ops"};
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "linger.ms", 20),
                new StringSerializer(), new ByteArraySerializer())) {
            long nowMs = System.currentTimeMillis();
            for (int s = 0; s < sources; s++) {
                for (int d = 0; d < destinations; d++) {
                    boolean dropped = (s + d) % 17 == 0;
                    FlowRecord flow = FlowRecord.newBuilder().setTimeUnixNanos(nowMs * 1_000_000L)
                            .setVerdict(dropped ? Verdict.DROPPED : Verdict.FORWARDED)
                            .setSource(EndpointRef.newBuilder().setNamespace(namespaces[s % 10]).setPod("client-" + s + "-7d9f8-x2x9k")
                                    .setWorkloadKind("Deployment").setWorkloadName("client-" + s).setIp("10.0." + s + ".7"))
                            .setDestination(EndpointRef.newBuilder().setNamespace(namespaces[d % 10]).setPod("server-" + d + "-0")
                                    .setWorkloadKind("StatefulSet").setWorkloadName("server-" + d).setIp("10.1." + d + ".9"))
                            .setProtocol(L4Protocol.TCP).setDestinationPort(8080).setNodeName("node-" + (s % 5))
                            .setUuid("f-" + s + "-" + d).build();
                    producer.send(new ProducerRecord<>(topic, null, nowMs, EdgeKey.of(flow).text(), flow.toByteArray()));
                }
            }
            producer.flush();
        }
    }

    private static void awaitEdges(String base, int edges, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/topology?last=15m")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
                JsonNode body = JSON.readTree(response.body());
                seen = body.path("links").size();
                if (seen == edges && !body.path("partial").asBoolean(false)) {
                    return;
                }
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("/api/v1/topology answered " + seen + " edges, not " + edges + ", within " + timeout);
    }

    private static void printRest(List<HttpLoad.Result> results, HttpLoad.Result floor) {
        System.out.printf("%n| %-30s | %7s | %8s | %8s | %8s | %8s | %8s | %12s | %6s | %12s |%n", "request", "clients", "requests",
                "req/s", "p50 ms", "p99 ms", "max ms", "bytes/answer", "errors", "p99 / health");
        System.out.println("|" + "-".repeat(32) + "|---------|----------|----------|----------|----------|----------|--------------|--------|--------------|");
        for (HttpLoad.Result r : results) {
            Latencies l = r.latencies();
            String ratio = r.clients() == floor.clients()
                    ? String.format("%.1f", l.percentileMillis(0.99) / floor.latencies().percentileMillis(0.99)) : "-";
            System.out.printf("| %-30s | %7d | %,8d | %,8.0f | %8.2f | %8.2f | %8.1f | %,12d | %6d | %12s |%n", r.name(), r.clients(),
                    l.count(), r.requestsPerSecond(), l.percentileMillis(0.5), l.percentileMillis(0.99), l.maxMillis(),
                    r.bytesPerAnswer(), r.errors(), ratio);
        }
    }

    // ---- Part 2: WebSocket fan-out ----------------------------------------------------------------------------

    private static void fanOut(String bootstrap, Path dir, Map<String, String> opts) throws Exception {
        int clients = Integer.parseInt(opts.get("ws.clients"));
        int rate = Integer.parseInt(opts.get("ws.rate"));
        int edges = Integer.parseInt(opts.get("ws.edges"));
        Duration duration = Duration.ofSeconds(Long.parseLong(opts.get("ws.seconds")));
        Path jar = Path.of(opts.get("jar"));
        if (!Files.exists(jar) && Files.exists(Path.of("..").resolve(jar))) {
            jar = Path.of("..").resolve(jar);
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no runnable jar at " + jar.toAbsolutePath() + ": build it with mvn -q -o -DskipTests package");
        }
        // messages is the default: no parameter, so that a server from before there was a choice can be measured too.
        URI feed = URI.create("/ws/topology" + (opts.get("ws.updates").equals("messages") ? "" : "?updates=" + opts.get("ws.updates")));
        System.out.printf("%nPart 2: %s fan-out, %,d edge updates/s over %d distinct edges for %d s; server in its own JVM;"
                + " client SO_RCVBUF %s%n", feed, rate, edges, duration.toSeconds(), opts.get("ws.rcvbuf").equals("0") ? "the system's" : opts.get("ws.rcvbuf"));
        try (ServerProcess server = ServerProcess.start(jar, bootstrap, opts.get("ws.heap"), clients + 500, dir);
             EdgeUpdatePublisher publisher = new EdgeUpdatePublisher(bootstrap, TopicNames.DEFAULT_LIVE, edges,
                     (int) ((2 + 2 * duration.toSeconds()) * rate * 11 / 10 + rate))) {
            System.out.println("Server: " + String.join(" ", server.command()) + "  (pid " + server.pid() + ", log " + server.log() + ")");
            publisher.publish(rate, Duration.ofSeconds(2));   // warm the producer, the follower and the server's code paths
            URI uri = server.liveFeed().resolve(feed);
            int receiveBuffer = Integer.parseInt(opts.get("ws.rcvbuf"));
            FanOutResult floor = fanOutRun(server, uri, receiveBuffer, publisher, 1, rate, duration);
            FanOutResult many = fanOutRun(server, uri, receiveBuffer, publisher, clients, rate, duration);
            printFanOut(List.of(floor, many));
            server.collectGarbage();
            long live = server.heapUsed();
            System.out.printf("Server heap after a full GC (jcmd GC.run), %,d clients gone: %.0f MB%n", clients, live / 1e6);
            List<String> problems = server.problems();
            System.out.printf("Server alive at the end: %s; log lines at WARN/ERROR or with an exception once ready: %d%n", server.alive(), problems.size());
            problems.stream().limit(10).forEach(p -> System.out.println("  " + p));
            double p99 = many.convergence().percentileMillis(0.99);
            double finalP99 = many.finalConvergence().everyClient().percentileMillis(0.99);
            System.out.printf("Aim %,d clients within a %s heap: %s (server alive, no client evicted or refused; heap max %.0f MB,"
                    + " %d evicted); whether they are served in time is the latency above%n", clients,
                    opts.get("ws.heap"), server.alive() && many.evicted() == 0 && many.refused() == 0 ? "MET" : "NOT MET",
                    many.heapMax() / 1e6, many.evicted());
            System.out.printf("Aim every client converges to the latest state of every edge with p99 <= 1 s, %,d clients: %s"
                    + " (convergence p99 %.1f ms over every (client, state) pair; each edge's last state held by every client"
                    + " after p99 %.1f ms; %,d (client, edge) pairs never got it)%n", clients,
                    p99 <= 1_000 && finalP99 <= 1_000 && many.finalConvergence().missing() == 0 ? "MET" : "NOT MET", p99, finalP99,
                    many.finalConvergence().missing());
        }
    }

    /** One fan-out run's figures. */
    record FanOutResult(int clients, long published, long reachedFeed, long delivered, long other, Latencies convergence,
                        LiveClients.FinalConvergence finalConvergence,
                        Map<Integer, Long> closes, long evicted, long refused, double coalesced, long heapMax, long heapEnd, double connectSeconds,
                        CpuSeconds cpu) {
    }

    /**
     * CPU used while the run published and its clients took what came, by the server's JVM and by this one (its
     * clients, the broker, the publisher): on a machine whose load other work adds to, a cost per message that
     * latencies alone do not show.
     */
    record CpuSeconds(double server, double benchmark) {

        static CpuSeconds now(ServerProcess server) {
            return new CpuSeconds(server.cpuSeconds(), ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
        }

        CpuSeconds since(CpuSeconds start) {
            return new CpuSeconds(server - start.server, benchmark - start.benchmark);
        }
    }

    private static FanOutResult fanOutRun(ServerProcess server, URI feed, int receiveBuffer, EdgeUpdatePublisher publisher,
                                          int clients, int rate, Duration duration)
            throws Exception {
        String evictedMetric = "hubble_topology_ws_clients_evicted_total{feed=\"topology\"";
        String refusedMetric = "hubble_topology_ws_clients_refused_total{feed=\"topology\"";
        String coalescedMetric = "hubble_topology_ws_messages_coalesced_total{feed=\"topology\"";
        String feedMetric = "hubble_topology_ws_updates_published_total{feed=\"topology\"";
        Map<String, Double> before = server.metrics(evictedMetric, refusedMetric, coalescedMetric, feedMetric);
        long connecting = System.nanoTime();
        try (LiveClients live = LiveClients.connect(feed, clients, publisher, receiveBuffer)) {
            double connectSeconds = (System.nanoTime() - connecting) / 1e9;
            live.awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(10));   // snapshots, if any
            live.startFrom(publisher.flowsNow());
            AtomicLong heapMax = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    heapMax.accumulateAndGet(server.heapUsed(), Math::max);
                } catch (Exception e) {
                    // a missed sample; the next one counts
                }
            }, 0, 1, TimeUnit.SECONDS);
            CpuSeconds cpuStart = CpuSeconds.now(server);
            long published = publisher.publish(rate, duration);
            live.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30));
            CpuSeconds cpu = CpuSeconds.now(server).since(cpuStart);
            sampler.shutdownNow();
            long heapEnd = server.heapUsed();
            heapMax.accumulateAndGet(heapEnd, Math::max);
            Map<String, Double> after = server.metrics(evictedMetric, refusedMetric, coalescedMetric, feedMetric);
            return new FanOutResult(clients, published, (long) (after.get(feedMetric) - before.get(feedMetric)), live.delivered(),
                    live.otherMessages(), live.convergence(), live.finalConvergence(publisher.flowsNow()), live.closes(), (long) (after.get(evictedMetric) - before.get(evictedMetric)),
                    (long) (after.get(refusedMetric) - before.get(refusedMetric)), after.get(coalescedMetric) - before.get(coalescedMetric),
                    heapMax.get(), heapEnd, connectSeconds, cpu);
        }
    }

    private static void printFanOut(List<FanOutResult> results) {
        System.out.printf("%n| %7s | %9s | %11s | %11s | %6s | %11s | %9s | %9s | %9s | %9s | %9s | %9s | %9s | %7s | %11s | %11s | %9s |%n",
                "clients", "published", "expected", "delivered", "%", "coalesced", "conv p50", "conv p99", "conv max", "last p50",
                "last p99", "all p99", "never", "evicted", "heap max MB", "heap end MB", "connect s");
        System.out.println("|---------|-----------|-------------|-------------|--------|-------------|-----------|-----------|-----------|"
                + "-----------|-----------|-----------|-----------|---------|-------------|-------------|-----------|");
        for (FanOutResult r : results) {
            long expected = r.published() * r.clients();
            Latencies l = r.convergence();
            LiveClients.FinalConvergence f = r.finalConvergence();
            System.out.printf("| %,7d | %,9d | %,11d | %,11d | %6.1f | %,11.0f | %9.1f | %9.1f | %9.1f | %9.1f | %9.1f | %9.1f | %,9d | %7d"
                    + " | %11.0f | %11.0f | %9.1f |%n", r.clients(), r.published(), expected, r.delivered(), 100.0 * r.delivered() / expected,
                    r.coalesced(), l.percentileMillis(0.5), l.percentileMillis(0.99), l.maxMillis(), f.perClient().percentileMillis(0.5),
                    f.perClient().percentileMillis(0.99), f.everyClient().percentileMillis(0.99), f.missing(), r.evicted(),
                    r.heapMax() / 1e6, r.heapEnd() / 1e6, r.connectSeconds());
        }
        for (FanOutResult r : results) {
            System.out.printf("  %,d clients: %,d of the %,d published updates reached the server's feed by the end; closes by the"
                    + " server %s, refused %d, other messages %d; CPU while publishing and until quiet: server %.1f s (%,.0f edge"
                    + " messages per CPU-s), benchmark JVM %.1f s%n", r.clients(), r.reachedFeed(), r.published(), r.closes(), r.refused(),
                    r.other(), r.cpu().server(), r.delivered() / r.cpu().server(), r.cpu().benchmark());
        }
        System.out.println("  expected = published x clients; delivered = edge messages received (a slow client gets the newest state of"
                + " an edge instead of every one, so fewer is no loss); coalesced = states the server did not send because a newer"
                + " one of the same edge went out instead. conv = per (client, state published during the run): from the state's"
                + " send to Kafka until the client held it or a newer one, ms. last = per (client, edge): from the edge's last"
                + " state's send until the client held it; all = per edge, until every client held it; never = (client, edge)"
                + " pairs without the last state 30 s after the last publish (at most; the run ends after 2 s without a message)."
                + " Heap: jvm_memory_used_bytes{area=\"heap\"} from the server's /metrics, sampled every second (garbage included).");
    }

    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "(uptime unavailable: " + e.getMessage() + ")";
        }
    }
}
