package io.hubbletopology.api.live;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A feed's changes, held once for all its clients: every published update gets the next sequence number and is
 * kept, with the latest state of its key (an edge in a window, an interface, a flow), until every client has read
 * past it. Each client reads through its own {@link Reader}, which holds only positions (sequence numbers), so
 * publishing costs the same whatever the number of clients and a client's memory does not grow with the updates.
 *
 * <p>A reader goes in passes: a pass covers what was published up to when it began, and sends each key that
 * changed in it once, at the key's oldest change in the pass (oldest changed first), with the key's newest state
 * of the pass; states in between are coalesced. So a change waits at most for the rest of the current pass and
 * the next one, one message per other changed key, however often its key or the others change; a slow client
 * skips intermediate states instead of falling behind.
 *
 * <p>Bounds. {@link Mode#COALESCE} (the topology): entries every reader has passed are dropped ({@link #trim});
 * when the log grows past four times its keys, the superseded entries are dropped too (a reader then gets those
 * keys at their newest position, at worst once more); the keys themselves are bounded by the topology. {@link
 * Mode#SKIP} (the flow tail): every entry is sent (no coalescing: each flow is news), and a reader counts the
 * unread entries its filter wants; one with more than {@code maxBehind} of them skips its oldest down to half and
 * is told how many it skipped. A reader with none unread moves to the head at once, so a narrow filter holds no
 * flows of others; past {@link #SKIP_HOLD} times {@code maxBehind} entries held in all, the oldest are skipped by
 * whoever has not read them.
 */
final class FeedLog {

    /** Coalesce a slow reader's states per key, or skip what it cannot take in time. */
    enum Mode { COALESCE, SKIP }

    /** Below this many entries the log is never compacted: superseded entries give each reader its fair order. */
    private static final int MIN_COMPACT = 8_192;
    /** SKIP: how many times {@code maxBehind} entries the log holds at most for its readers together. */
    static final int SKIP_HOLD = 8;

    private final Mode mode;
    private final int maxBehind;
    private final FeedMetrics metrics;
    private final Map<String, Key> latest = new HashMap<>();
    private final Set<Reader> readers = ConcurrentHashMap.newKeySet();
    private Entry[] ring = new Entry[1_024];
    private int first;
    private int size;
    private long head;
    private int compactAt = MIN_COMPACT;

    /**
     * A key with changes in the log, and its newest: every change of the key points at it, so a reader finds the
     * key's newest state without a lookup by name (one per message per client, the feed's hottest path).
     */
    private static final class Key {
        Entry newest;
    }

    /**
     * One published change; {@code prev} and {@code next} link the changes of its key still in the log, and
     * {@code version} counts its key's changes, so the states a reader skips are a subtraction, not a walk.
     */
    private static final class Entry {
        final long seq;
        final FeedUpdate update;
        final Key key;
        final long version;
        Entry prev;
        Entry next;

        Entry(long seq, FeedUpdate update, Key key) {
            this.seq = seq;
            this.update = update;
            this.key = key;
            this.version = key.newest == null ? 1 : key.newest.version + 1;
        }
    }

    /** @param maxBehind {@link Mode#SKIP} only: how many entries a reader may be behind before it skips */
    FeedLog(Mode mode, int maxBehind, FeedMetrics metrics) {
        this.mode = mode;
        this.maxBehind = Math.max(2, maxBehind);
        this.metrics = metrics;
    }

    /** Appends a change once, for every reader; returns its sequence number. */
    synchronized long publish(FeedUpdate update) {
        Key key = latest.computeIfAbsent(update.key(), k -> new Key());
        Entry previous = key.newest;
        Entry entry = new Entry(++head, update, key);
        key.newest = entry;
        if (previous != null) {
            previous.next = entry;
            entry.prev = previous;
        }
        append(entry);
        if (mode == Mode.SKIP) {
            account(entry);
            if (size > SKIP_HOLD * maxBehind) {
                skipOldest(size - SKIP_HOLD * maxBehind / 2);
            }
        } else if (mode == Mode.COALESCE && size >= compactAt) {
            trim();
            if (size >= compactAt) {
                compact();
            }
            compactAt = Math.max(MIN_COMPACT, 4 * latest.size());
        }
        return entry.seq;
    }

    /** SKIP: counts the new entry for the readers that want it, and lets a reader too far behind skip. */
    private void account(Entry entry) {
        boolean moved = false;
        for (Reader reader : readers) {
            if (reader.filter.test(entry.update)) {
                if (++reader.wanted > maxBehind) {
                    skipWanted(reader, reader.wanted - maxBehind / 2);
                    moved = true;
                }
            } else if (reader.wanted == 0) {
                reader.cursor = entry.seq;
                moved = true;
            }
        }
        if (moved) {
            trim();
        }
    }

    /** SKIP: moves a reader past its oldest {@code count} wanted entries, which it is told it skipped. */
    private void skipWanted(Reader reader, long count) {
        for (int i = indexAfter(reader.cursor); i < size && count > 0; i++) {
            Entry e = at(i);
            reader.cursor = e.seq;
            if (reader.filter.test(e.update)) {
                count--;
                reader.wanted--;
                reader.skipped++;
                metrics.skipped(1);
            }
        }
    }

    /** A reader at the head: it gets what is published from now on. */
    Reader reader(Predicate<FeedUpdate> filter) {
        synchronized (this) {
            Reader reader = new Reader(filter, head);
            readers.add(reader);
            return reader;
        }
    }

    /** Drops the entries every reader has passed, and the keys whose latest state they were. */
    synchronized void trim() {
        long passed = head;
        for (Reader reader : readers) {
            passed = Math.min(passed, reader.cursor);
        }
        while (size > 0 && at(0).seq <= passed) {
            dropFirst();
        }
    }

    /** Keys with a state some reader has not passed yet. */
    synchronized int keys() {
        return latest.size();
    }

    synchronized int size() {
        return size;
    }

    /** The reader furthest behind, or null when there is none. */
    synchronized Reader slowest() {
        Reader slowest = null;
        for (Reader reader : readers) {
            if (slowest == null || reader.cursor < slowest.cursor) {
                slowest = reader;
            }
        }
        return slowest;
    }

    private Entry at(int index) {
        return ring[(first + index) % ring.length];
    }

    private void append(Entry entry) {
        if (size == ring.length) {
            Entry[] bigger = new Entry[ring.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = at(i);
            }
            ring = bigger;
            first = 0;
        }
        ring[(first + size++) % ring.length] = entry;
    }

    private Entry dropFirst() {
        Entry gone = at(0);
        ring[first] = null;
        first = (first + 1) % ring.length;
        size--;
        if (gone.next != null) {
            gone.next.prev = null;
        } else if (gone.key.newest == gone) {
            latest.remove(gone.update.key(), gone.key);
        }
        return gone;
    }

    /** SKIP: drops the oldest {@code count} entries; readers that had not read them skip them and are told. */
    private void skipOldest(int count) {
        Entry[] gone = new Entry[count];
        for (int i = 0; i < count; i++) {
            gone[i] = dropFirst();
        }
        long last = gone[count - 1].seq;
        for (Reader reader : readers) {
            if (reader.cursor < last) {
                long missed = Arrays.stream(gone).filter(e -> e.seq > reader.cursor && reader.filter.test(e.update)).count();
                reader.skipped += missed;
                reader.wanted = Math.max(0, reader.wanted - missed);
                metrics.skipped(missed);
                reader.cursor = last;
                reader.passEnd = Math.max(reader.passEnd, last);
            }
        }
    }

    /** COALESCE: keeps only the latest entry of each key; a reader that had not reached a dropped one gets its key later. */
    private void compact() {
        Entry[] kept = new Entry[Math.max(1_024, Integer.highestOneBit(Math.max(1, latest.size())) * 4)];
        int n = 0;
        for (int i = 0; i < size; i++) {
            Entry e = at(i);
            if (e.next == null) {
                e.prev = null;
                kept[n++] = e;
            }
        }
        ring = kept;
        first = 0;
        size = n;
    }

    /** Index of the first entry after {@code seq}; {@code size} when there is none. */
    private int indexAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).seq <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * One client's place in the log: the sequence number it has read up to and its current pass. Its fields are
     * guarded by the log's lock.
     */
    final class Reader {

        private final Predicate<FeedUpdate> filter;
        private long cursor;
        /** Where the entry at {@code cursor} sits in the ring, -1 when unknown: the next one is found without a search. */
        private int cursorSlot = -1;
        private long passStart;
        private long passEnd;
        private long skipped;
        /** SKIP: unread entries this reader's filter wants. */
        private long wanted;
        /** States coalesced since the metric was last told. */
        private long coalesced;

        private Reader(Predicate<FeedUpdate> filter, long at) {
            this.filter = filter;
            this.cursor = at;
            this.passStart = at;
            this.passEnd = at;
        }

        /** The next message for this client, or null when it has everything; never blocks on a socket. */
        FeedUpdate next() {
            FeedUpdate next;
            long superseded;
            synchronized (FeedLog.this) {
                next = nextLocked();
                superseded = takeCoalesced();
            }
            countCoalesced(superseded);
            return next;
        }

        /** Adds up to {@code max} next messages to {@code out}, under one lock; returns how many. */
        int take(int max, List<FeedUpdate> out) {
            int taken = 0;
            long superseded;
            synchronized (FeedLog.this) {
                FeedUpdate next;
                while (taken < max && (next = nextLocked()) != null) {
                    out.add(next);
                    taken++;
                }
                superseded = takeCoalesced();
            }
            countCoalesced(superseded);
            return taken;
        }

        /**
         * Adds the states this reader skipped to the metric once per take, outside the log's lock: a counter's
         * increment per message, under the lock every client and the publisher share, was a quarter of the senders' time.
         */
        private void countCoalesced(long superseded) {
            if (superseded > 0) {
                metrics.coalesced(superseded);
            }
        }

        private long takeCoalesced() {
            long count = coalesced;
            coalesced = 0;
            return count;
        }

        private int indexAfterCursor() {
            if (cursorSlot >= 0 && cursorSlot < ring.length) {
                Entry at = ring[cursorSlot];
                if (at != null && at.seq == cursor) {
                    return Math.floorMod(cursorSlot - first, ring.length) + 1;
                }
            }
            return indexAfter(cursor);
        }

        private FeedUpdate nextLocked() {
            if (skipped > 0) {
                long count = skipped;
                skipped = 0;
                return FeedMessages.skipped(count);
            }
            while (true) {
                if (cursor >= passEnd) {
                    if (head <= cursor) {
                        return null;
                    }
                    passStart = cursor;
                    passEnd = head;
                }
                int index = indexAfterCursor();
                if (index == size || at(index).seq > passEnd) {
                    cursor = passEnd;
                    cursorSlot = -1;
                    continue;
                }
                Entry change = at(index);
                cursor = change.seq;
                cursorSlot = (first + index) % ring.length;
                if (mode == Mode.SKIP) {
                    if (filter.test(change.update)) {
                        wanted--;
                        return change.update;
                    }
                    continue;
                }
                if (change.prev != null && change.prev.seq > passStart) {
                    continue;   // its key went out at an older change of this pass, with its newest state
                }
                Entry newest = change.key.newest;
                while (newest.seq > passEnd) {
                    newest = newest.prev;
                }
                // Every state of the key since this pass's first one (change), the newest excepted.
                long superseded = newest.version - change.version;
                coalesced += superseded;
                if (filter.test(newest.update)) {
                    return newest.update;
                }
            }
        }

        /** Whether {@link #next()} may have something: checked after a client went idle, so no wake-up is lost. */
        boolean hasNext() {
            synchronized (FeedLog.this) {
                return skipped > 0 || head > cursor;
            }
        }

        /** Changes published after what this reader has read. */
        long behind() {
            synchronized (FeedLog.this) {
                return head - cursor;
            }
        }

        void close() {
            readers.remove(this);
        }
    }
}
