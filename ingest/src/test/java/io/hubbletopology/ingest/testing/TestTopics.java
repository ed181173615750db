package io.hubbletopology.ingest.testing;

import java.util.Arrays;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

import io.hubbletopology.ingest.publish.TopicLeaders;
import io.hubbletopology.topics.TopicProvisioner;

/** Creates topics for tests that publish without an agent (the agent creates its own). */
public final class TestTopics {

    private TestTopics() {
    }

    public static void create(String bootstrapServers, String... names) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, 1, (short) 1);
            provisioner.ensure(Arrays.stream(names).map(n -> provisioner.stream(n, 3_600_000L)).toList(), 30_000);
            TopicLeaders.await(admin, Arrays.asList(names), 30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
