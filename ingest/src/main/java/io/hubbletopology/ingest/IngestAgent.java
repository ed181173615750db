package io.hubbletopology.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hubbletopology.ingest.hubble.HubbleFlowSource;
import io.hubbletopology.ingest.publish.FlowPublisher;
import io.hubbletopology.ingest.sysfs.SysfsLinkSource;
import io.hubbletopology.topics.TopicProvisioner;

/**
 * The per-node agent: reads Hubble and/or sysfs and publishes to Kafka.
 *
 * <pre>{@code
 * IngestAgent agent = new IngestAgent(config);
 * agent.start();   // returns at once; sources connect and retry in the background
 * ...
 * agent.close();   // stops reading, sends what was read, closes
 * }</pre>
 */
public final class IngestAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestAgent.class);

    private final IngestConfig config;
    private final FlowPublisher publisher;
    private HubbleFlowSource hubble;
    private SysfsLinkSource links;
    private Thread provisioning;
    private volatile boolean topicsReady;

    public IngestAgent(IngestConfig config) {
        this.config = config;
        this.publisher = new FlowPublisher(kafkaProperties(), config.topics());
    }

    private Map<String, Object> kafkaProperties() {
        Map<String, Object> props = new HashMap<>(config.kafkaProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "hubble-topology-ingest-" + config.nodeName());
        return props;
    }

    public synchronized void start() {
        provisioning = new Thread(this::provisionTopics, "ingest-topics");
        provisioning.setDaemon(true);
        provisioning.start();
        if (config.mode().hubble()) {
            hubble = new HubbleFlowSource(config.hubble(), config.nodeName(), publisher::publish);
            hubble.start();
        }
        if (config.mode().sysfs()) {
            links = new SysfsLinkSource(config.sysfsRoot(), config.nodeName(), config.pollInterval(),
                    config.snapshotInterval(), publisher::publish);
            links.start();
        }
        log.info("Ingest agent on node {} started: mode {}, Kafka {}{}", config.nodeName(), config.mode().label(),
                config.bootstrapServers(), config.mode().hubble() ? ", Hubble " + config.hubble().target().display() : "");
    }

    /** Creates missing topics, retrying while Kafka is unreachable; the producer waits for them meanwhile. */
    private void provisionTopics() {
        List<NewTopic> topics = new ArrayList<>();
        try (Admin admin = Admin.create(kafkaProperties())) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.partitions(), config.replicationFactor());
            topics.add(provisioner.stream(config.topics().flows(), config.flowsRetention().toMillis()));
            topics.add(provisioner.compacted(config.topics().links()));
            long delayMs = 500;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    provisioner.ensure(topics, 10_000);
                    topicsReady = true;
                    return;
                } catch (TopicProvisioner.TopicProvisioningException e) {
                    log.warn("Kafka at {} not ready ({}); retrying in {} ms", config.bootstrapServers(), e.getMessage(), delayMs);
                    Thread.sleep(delayMs);
                    delayMs = Math.min(delayMs * 2, 30_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean topicsReady() {
        return topicsReady;
    }

    public FlowPublisher publisher() {
        return publisher;
    }

    /** The Hubble source, or null when the mode does not read Hubble. */
    public HubbleFlowSource hubble() {
        return hubble;
    }

    public IngestConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (hubble != null) {
            hubble.close();
        }
        if (links != null) {
            links.close();
        }
        if (provisioning != null) {
            provisioning.interrupt();
        }
        publisher.close(5_000);
        log.info("Ingest agent on node {} stopped: {} flows and {} link states published", config.nodeName(),
                publisher.flowsPublished(), publisher.linksPublished());
    }
}
