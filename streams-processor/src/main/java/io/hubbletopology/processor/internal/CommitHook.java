package io.hubbletopology.processor.internal;

import java.util.Map;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that holds nothing and runs its owner's flush whenever the task commits, before the task's
 * offsets are committed: the one moment at which figures kept in memory can reach the stores and output
 * topics without a committed offset ever running ahead of them (Kafka Streams gives processors no such hook,
 * and a punctuator is not synchronised with commits).
 * <p>
 * It works the way Kafka Streams' own record cache does: during a task's commit (every commit interval, at
 * a rebalance, at a clean close; TopologyTestDriver after each record) the state manager calls
 * {@link CachedStateStore#flushCache()} on every registered store that is one, then flushes the producer,
 * then commits offsets (at-least-once) or the transaction with them (exactly-once). What the owner writes or
 * forwards from {@link #flushCache()} is therefore part of that commit. When a task is closed without a
 * commit (a crash, a fenced producer) {@link #clearCache()} discards the owner's pending work, which is then
 * processed again from the last committed offsets. Verified against Kafka Streams 4.3
 * ({@code ProcessorStateManager.flushCache}, {@code StreamTask.prepareCommit}); {@code TopologyStreamsTest} and
 * the crash tests fail if a later version stops calling it.
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {

    /** What the owner does at each commit, and when its pending work is to be dropped. */
    interface Owner {
        void flush();

        void discard();
    }

    private final String name;
    private Owner owner;
    private boolean open;

    private CommitHook(String name) {
        this.name = name;
    }

    /** Registers the processor whose pending work this store flushes; one owner per task. */
    void owner(Owner owner) {
        this.owner = owner;
    }

    @Override
    public void flushCache() {
        if (owner != null) {
            owner.flush();
        }
    }

    @Override
    public void clearCache() {
        if (owner != null) {
            owner.discard();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // Nothing to restore: what is pending was never committed, so its input is processed again.
        context.register(root, (key, value) -> {
        });
        open = true;
    }

    @Override
    public void close() {
        open = false;
        owner = null;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    static StoreBuilder<CommitHook> builder(String name) {
        return new Builder(name);
    }

    /** Builds the hook; it has no changelog and no cache, whatever is asked. */
    private record Builder(String name) implements StoreBuilder<CommitHook> {
        @Override
        public StoreBuilder<CommitHook> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
            return this;
        }

        @Override
        public StoreBuilder<CommitHook> withLoggingDisabled() {
            return this;
        }

        @Override
        public CommitHook build() {
            return new CommitHook(name);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }
    }
}
