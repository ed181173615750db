package io.hubbletopology.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.topics.ReplicationPlan;
import io.hubbletopology.topics.TopicProvisioner;

class KafkaClusterIT {

    @Test
    @Timeout(150)
    void threeNodesReplicateTopicsThreeTimesKeepTakingWritesWithOneNodeKilledAndStopTogether(@TempDir Path dir) throws Exception {
        int base = FreePorts.consecutive(6);
        KafkaCluster started = KafkaCluster.start(new BrokerSettings("127.0.0.1", base, dir, 3, 3), Duration.ofSeconds(90));
        try (KafkaCluster cluster = started;
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            assertThat(cluster.bootstrapServers())
                    .isEqualTo("127.0.0.1:" + base + ",127.0.0.1:" + (base + 1) + ",127.0.0.1:" + (base + 2));
            assertThat(cluster.nodes()).extracting(n -> n.process().pid()).doesNotHaveDuplicates()
                    .doesNotContain(ProcessHandle.current().pid());

            TopicProvisioner provisioner = new TopicProvisioner(admin, 3, ReplicationPlan.BY_CLUSTER_SIZE);
            provisioner.ensure(List.of(provisioner.stream("replicated", 60_000)), 30_000);
            TopicDescription topic = admin.describeTopics(List.of("replicated")).allTopicNames().get(30, TimeUnit.SECONDS).get("replicated");
            assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "replicated");
            ConfigEntry minIsr = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                    .get("min.insync.replicas");
            assertThat(minIsr.value()).isEqualTo("2");

            KafkaCluster.Node killed = cluster.nodes().get(1);
            killed.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThat(killed.process().isAlive()).isFalse();

            // acks=all with min ISR 2 of 3: two nodes left still take every write, leaders moved off the dead one.
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>("replicated", "k" + i, "v" + i)).get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(cluster.nodes()).filteredOn(n -> n.process().isAlive()).hasSize(2);
        }
        assertThat(started.nodes()).as("closing the cluster stops every node").noneMatch(n -> n.process().isAlive());
    }
}
