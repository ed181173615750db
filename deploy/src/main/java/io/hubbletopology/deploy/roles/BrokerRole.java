package io.hubbletopology.deploy.roles;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.broker.EmbeddedKafkaBroker;

/** A real single-node Kafka broker in this process. */
public final class BrokerRole implements Role {

    private final BrokerSettings settings;
    private EmbeddedKafkaBroker broker;

    public BrokerRole(BrokerSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public void start() {
        broker = EmbeddedKafkaBroker.start(settings);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
