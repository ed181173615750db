package io.hubbletopology.deploy.roles;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.hubbletopology.ingest.IngestAgent;
import io.hubbletopology.ingest.IngestConfig;

/** The per-node ingest agent. Its config may depend on roles started before it (the demo's broker). */
public final class IngestRole implements Role {

    private final Supplier<IngestConfig> config;
    private IngestAgent agent;

    public IngestRole(Supplier<IngestConfig> config) {
        this.config = config;
    }

    @Override
    public void start() {
        agent = new IngestAgent(config.get());
        agent.start();
    }

    public IngestAgent agent() {
        return agent;
    }

    /** A replay's end: the agent has read its whole input and Kafka holds all of it. */
    @Override
    public CompletionStage<?> finished() {
        return agent.replayDone();
    }

    @Override
    public void stop() {
        Role.close(agent);
    }
}
