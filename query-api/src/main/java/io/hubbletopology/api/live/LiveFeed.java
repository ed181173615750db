package io.hubbletopology.api.live;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.threads.DaemonThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The live feed's clients: admits them up to a limit, writes each published update once into the feed's
 * {@link FeedLog} and wakes the idle clients that want it; each client's sender then takes the newest state of what
 * changed since it last sent, in batches, so the work of a publish grows neither with the clients' backlogs nor
 * with the clients busy sending.
 *
 * <p>Too slow, and evicted: a client whose current send has not completed within the stall timeout (its socket
 * does not drain). A topology client that is merely behind is not evicted: it coalesces, getting the newest state
 * of each changed edge or interface, oldest change first. At the memory bound, {@value #MAX_KEYS} edges and
 * interfaces changed and not yet sent to the client furthest behind (checked by the sweeper), that client is
 * evicted. A flow-tail client ({@link #skipping}) more than {@code maxQueue} flows behind skips the oldest and is
 * told how many.
 *
 * <pre>{@code
 * LiveFeed feed = new LiveFeed(100, 1_000, Duration.ofSeconds(30), registry);
 * feed.publish(update);   // from the consumer of the output topics
 * }</pre>
 */
public final class LiveFeed implements AutoCloseable {

    /** Keys (an edge in a window, an interface) the topology log holds for its slowest client, at most (~1 KB each). */
    static final int MAX_KEYS = 50_000;

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final int maxClients;
    private final Duration stallTimeout;
    private final FeedMetrics metrics;
    private final FeedLog changes;
    private final Map<String, FeedClient> clients = new ConcurrentHashMap<>();
    /** Clients with nothing left to send: a publish wakes those that want it, and looks at no other. */
    private final Set<FeedClient> parked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("live-feed-sweeper"));
    // Socket writes happen here, never on the thread that publishes: a slow write delays no other update.
    private final ExecutorService senders = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), DaemonThreads.named("live-feed-sender"));

    /** A feed whose slow clients coalesce to the newest state per key (the topology); {@code maxQueue} is unused. */
    public LiveFeed(int maxClients, int maxQueue, Duration stallTimeout, MeterRegistry registry) {
        this("topology", FeedLog.Mode.COALESCE, maxClients, maxQueue, stallTimeout, registry);
    }

    /** A feed whose clients more than {@code maxQueue} updates behind skip them and are told how many (the flow tail). */
    public static LiveFeed skipping(String name, int maxClients, int maxQueue, Duration stallTimeout, MeterRegistry registry) {
        return new LiveFeed(name, FeedLog.Mode.SKIP, maxClients, maxQueue, stallTimeout, registry);
    }

    private LiveFeed(String name, FeedLog.Mode mode, int maxClients, int maxQueue, Duration stallTimeout,
                     MeterRegistry registry) {
        this.maxClients = maxClients;
        this.stallTimeout = stallTimeout;
        this.metrics = new FeedMetrics(registry, name);
        this.changes = new FeedLog(mode, maxQueue, metrics);
        Gauge.builder("hubble_topology_ws_clients", clients, Map::size).tag("feed", name)
                .description("Connected live clients").register(registry);
        long period = Math.max(100, Math.min(1_000, stallTimeout.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Admits a client, or returns null when the limit is reached (the caller closes it with a reason). It gets
     * every change published from now on, after what it is given in {@link FeedClient#start}.
     */
    FeedClient admit(String id, FeedSocket socket, Predicate<FeedUpdate> filter, String address) {
        if (admitted.incrementAndGet() > maxClients) {
            admitted.decrementAndGet();
            metrics.refused();
            return null;
        }
        FeedClient client = new FeedClient(socket, filter, address, changes.reader(filter), metrics, senders, parked);
        clients.put(id, client);
        return client;
    }

    void remove(String id) {
        FeedClient client = clients.remove(id);
        if (client != null) {
            parked.remove(client);
            client.reader().close();
            admitted.decrementAndGet();
        }
    }

    void refused() {
        metrics.refused();
    }

    /**
     * Records an update once and wakes the parked clients that want it; never waits for a client. A client busy
     * sending takes the update from the log when it looks again, so a publish costs nothing per busy client.
     */
    public void publish(FeedUpdate update) {
        metrics.published();
        changes.publish(update);
        for (FeedClient client : parked) {
            if (client.wants(update)) {
                client.wake();
            }
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<String, FeedClient> e : clients.entrySet()) {
            if (e.getValue().stalledNanos(now) > stallTimeout.toNanos()) {
                evict(e.getKey(), e.getValue(), "client too slow: a message waited more than " + stallTimeout.toMillis() + " ms");
            }
        }
        changes.trim();
        if (changes.keys() > MAX_KEYS) {
            FeedLog.Reader slowest = changes.slowest();
            clients.entrySet().stream().filter(e -> e.getValue().reader() == slowest).findFirst().ifPresent(e -> evict(e.getKey(),
                    e.getValue(), "client too slow: more than " + MAX_KEYS + " edges and interfaces changed since it last caught up"));
            changes.trim();
        }
    }

    private void evict(String id, FeedClient client, String reason) {
        remove(id);
        metrics.evicted();
        log.warn("Evicting live client {}: {}", client.address(), reason);
        client.close(FeedClient.TOO_SLOW, reason);
    }

    public int clientCount() {
        return clients.size();
    }

    public FeedMetrics metrics() {
        return metrics;
    }

    Collection<FeedClient> clients() {
        return clients.values();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        senders.shutdownNow();
        for (FeedClient client : clients.values()) {
            client.close(1001, "server shutting down");
        }
        clients.clear();
    }
}
