package io.hubbletopology.api.live;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The live feed's clients: admits them up to a limit, hands each published update to every client whose
 * filter matches (the update was serialised once, before), and evicts clients that fall behind: a queue
 * that overflows, or a send the client has not taken within the stall timeout.
 *
 * <pre>{@code
 * LiveFeed feed = new LiveFeed(100, 1_000, Duration.ofSeconds(30), registry);
 * feed.publish(update);   // from the consumer of the output topics
 * }</pre>
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final int maxClients;
    private final int maxQueue;
    private final Duration stallTimeout;
    private final FeedMetrics metrics;
    private final FeedClient.Overflow overflow;
    private final Map<String, FeedClient> clients = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "live-feed-sweeper");
        t.setDaemon(true);
        return t;
    });
    // Socket writes happen here, never on the thread that publishes: a slow write delays no other update.
    private final ExecutorService senders = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "live-feed-sender");
        t.setDaemon(true);
        return t;
    });

    /** A feed whose clients are evicted when their queue overflows (the topology: updates of a key coalesce). */
    public LiveFeed(int maxClients, int maxQueue, Duration stallTimeout, MeterRegistry registry) {
        this("topology", FeedClient.Overflow.EVICT, maxClients, maxQueue, stallTimeout, registry);
    }

    /** A feed whose slow clients skip updates and are told how many (the flow tail). */
    public static LiveFeed skipping(String name, int maxClients, int maxQueue, Duration stallTimeout, MeterRegistry registry) {
        return new LiveFeed(name, FeedClient.Overflow.SKIP, maxClients, maxQueue, stallTimeout, registry);
    }

    private LiveFeed(String name, FeedClient.Overflow overflow, int maxClients, int maxQueue, Duration stallTimeout,
                     MeterRegistry registry) {
        this.maxClients = maxClients;
        this.maxQueue = maxQueue;
        this.stallTimeout = stallTimeout;
        this.overflow = overflow;
        this.metrics = new FeedMetrics(registry, name);
        Gauge.builder("hubble_topology_ws_clients", clients, Map::size).tag("feed", name)
                .description("Connected live clients").register(registry);
        long period = Math.max(100, Math.min(1_000, stallTimeout.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::evictStalled, period, period, TimeUnit.MILLISECONDS);
    }

    /** Admits a client, or returns null when the limit is reached (the caller closes it with a reason). */
    FeedClient admit(String id, Session session, Predicate<FeedUpdate> filter, String address) {
        if (admitted.incrementAndGet() > maxClients) {
            admitted.decrementAndGet();
            metrics.refused();
            return null;
        }
        FeedClient client = new FeedClient(session, filter, overflow, address, maxQueue, metrics, senders);
        clients.put(id, client);
        return client;
    }

    void remove(String id) {
        if (clients.remove(id) != null) {
            admitted.decrementAndGet();
        }
    }

    void refused() {
        metrics.refused();
    }

    /** Hands an update to every matching client; a client whose queue overflows is evicted. */
    public void publish(FeedUpdate update) {
        metrics.published();
        for (Map.Entry<String, FeedClient> e : clients.entrySet()) {
            FeedClient client = e.getValue();
            if (client.wants(update) && !client.offer(update.key(), update.payload())) {
                evict(e.getKey(), client, "client too slow: more than " + maxQueue + " updates queued");
            }
        }
    }

    /** Sends an update to one client only (its snapshot). */
    void sendTo(FeedClient client, String id, FeedUpdate update) {
        if (client.wants(update) && !client.offer(update.key(), update.payload())) {
            evict(id, client, "client too slow: more than " + maxQueue + " updates queued");
        }
    }

    private void evictStalled() {
        long now = System.nanoTime();
        for (Map.Entry<String, FeedClient> e : clients.entrySet()) {
            if (e.getValue().stalledNanos(now) > stallTimeout.toNanos()) {
                evict(e.getKey(), e.getValue(), "client too slow: a message waited more than " + stallTimeout.toSeconds() + " s");
            }
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
