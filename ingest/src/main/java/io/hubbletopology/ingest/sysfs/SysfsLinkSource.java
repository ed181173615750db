package io.hubbletopology.ingest.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.records.LinkCounters;
import io.hubbletopology.records.LinkEventCause;
import io.hubbletopology.records.LinkStateRecord;
import io.hubbletopology.threads.DaemonThreads;

/**
 * Watches the interfaces under a sysfs root ({@code /sys/class/net}, or the host's mounted elsewhere) and
 * publishes a record when an interface's state changes, a full snapshot periodically (so the compacted topic
 * always holds every interface), and a removal when an interface disappears.
 *
 * <pre>{@code
 * var links = new SysfsLinkSource(Path.of("/sys/class/net"), "node-1", Duration.ofSeconds(1), Duration.ofSeconds(60), publisher::publish);
 * links.start();
 * }</pre>
 */
public final class SysfsLinkSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SysfsLinkSource.class);

    private final Path root;
    private final String node;
    private final Duration pollInterval;
    private final Duration snapshotInterval;
    private final Consumer<LinkStateRecord> sink;
    private final Clock clock;
    private final Map<String, LinkStateRecord> last = new HashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("sysfs-links"));
    private final Runnable onChange;
    private long lastSnapshotNanos;
    private boolean rootMissingLogged;
    private volatile boolean readable;

    public SysfsLinkSource(Path root, String node, Duration pollInterval, Duration snapshotInterval,
                           Consumer<LinkStateRecord> sink) {
        this(root, node, pollInterval, snapshotInterval, sink, () -> { }, Clock.systemUTC());
    }

    /** @param onChange called for every change seen (added, changed, removed), e.g. to count it */
    public SysfsLinkSource(Path root, String node, Duration pollInterval, Duration snapshotInterval,
                           Consumer<LinkStateRecord> sink, Runnable onChange) {
        this(root, node, pollInterval, snapshotInterval, sink, onChange, Clock.systemUTC());
    }

    SysfsLinkSource(Path root, String node, Duration pollInterval, Duration snapshotInterval,
                    Consumer<LinkStateRecord> sink, Runnable onChange, Clock clock) {
        this.onChange = onChange;
        this.root = root;
        this.node = node;
        this.pollInterval = pollInterval;
        this.snapshotInterval = snapshotInterval;
        this.sink = sink;
        this.clock = clock;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            if (scheduler.isShutdown() || Thread.currentThread().isInterrupted()) {
                // Stopping: a send cut short by the interrupt is expected, not an error.
                return;
            }
            log.error("Reading link states under {} failed; next poll in {} ms", root, pollInterval.toMillis(), e);
        }
    }

    /** One pass: publish what changed, what vanished, and everything when a snapshot is due. */
    synchronized void poll() {
        long now = System.nanoTime();
        boolean snapshot = lastSnapshotNanos == 0 || now - lastSnapshotNanos >= snapshotInterval.toNanos();
        if (snapshot) {
            lastSnapshotNanos = now;
        }
        long observed = clock.millis() * 1_000_000L;
        Set<String> present = new HashSet<>();
        for (Path dir : interfaces()) {
            LinkStateRecord.Builder read = SysfsReader.read(dir);
            if (read == null) {
                continue;
            }
            LinkStateRecord current = read.setNodeName(node).setObservedUnixNanos(observed).build();
            present.add(current.getInterface());
            LinkStateRecord previous = last.get(current.getInterface());
            boolean changed = previous == null || !sameState(previous, current);
            if (changed || snapshot) {
                last.put(current.getInterface(), current);
                if (changed) {
                    changes.incrementAndGet();
                    onChange.run();
                }
                sink.accept(current.toBuilder()
                        .setCause(changed ? LinkEventCause.LINK_CHANGED : LinkEventCause.LINK_SNAPSHOT).build());
            }
        }
        for (String gone : List.copyOf(last.keySet())) {
            if (!present.contains(gone)) {
                last.remove(gone);
                changes.incrementAndGet();
                onChange.run();
                sink.accept(LinkStateRecord.newBuilder().setNodeName(node).setInterface(gone)
                        .setObservedUnixNanos(observed).setRemoved(true).setCause(LinkEventCause.LINK_REMOVED).build());
            }
        }
    }

    private List<Path> interfaces() {
        try (Stream<Path> entries = Files.list(root)) {
            List<Path> found = entries.sorted().toList();
            rootMissingLogged = false;
            readable = true;
            return found;
        } catch (IOException e) {
            readable = false;
            if (!rootMissingLogged) {
                log.warn("Cannot list interfaces under {}: {}", root, e.toString());
                rootMissingLogged = true;
            }
            return List.of();
        }
    }

    /** Equal in everything but the counters and the time: counters move all the time, snapshots carry them. */
    private static boolean sameState(LinkStateRecord a, LinkStateRecord b) {
        LinkStateRecord.Builder x = a.toBuilder().setObservedUnixNanos(0).setCounters(LinkCounters.getDefaultInstance())
                .setCause(LinkEventCause.LINK_CAUSE_UNKNOWN);
        LinkStateRecord.Builder y = b.toBuilder().setObservedUnixNanos(0).setCounters(LinkCounters.getDefaultInstance())
                .setCause(LinkEventCause.LINK_CAUSE_UNKNOWN);
        return x.build().equals(y.build());
    }

    /** True when the last poll could list the interfaces. */
    public boolean readable() {
        return readable;
    }

    public long changes() {
        return changes.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
