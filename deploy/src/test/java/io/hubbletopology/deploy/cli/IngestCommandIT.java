package io.hubbletopology.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.records.FlowRecord;

/** The {@code ingest} command as an operator runs it: bad settings stop it with exit 2, a replay ends with 0. */
@Timeout(120)
class IngestCommandIT {

    @TempDir
    Path dir;

    @Test
    void anInvalidValueStopsTheAgentWithOneLineNamingTheKeyAndExitCode2() throws Exception {
        CommandRun badOption = CommandRun.of("ingest", "--poll-interval", "often");
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(badOption.stderr().strip()).doesNotContain("\n").contains("discovery.poll_interval").contains("'often'");

        Path yaml = Files.writeString(dir.resolve("config.yaml"), "discovery:\n  mode: kernel\n");
        CommandRun badFile = CommandRun.of("ingest", "--config", yaml.toString());
        assertThat(badFile.exitCode()).isEqualTo(2);
        assertThat(badFile.stderr().strip()).doesNotContain("\n").contains("discovery.mode").contains("kernel");

        CommandRun badTls = CommandRun.of("ingest", "--hubble-tls-ca", dir.resolve("missing-ca.crt").toString());
        assertThat(badTls.exitCode()).isEqualTo(2);
        assertThat(badTls.stderr().strip()).doesNotContain("\n").contains("hubble.tls.ca_file");
    }

    @Test
    void replayPublishesTheGoodLinesReportsTheBadOnesAndExitsZero() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        String flowsTopic = "replay-cli-" + UUID.randomUUID().toString().substring(0, 8) + ".flows";
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("{\"flow\":{\"time\":\"2026-11-21T08:00:" + String.format("%02d", i) + "Z\",\"verdict\":\"FORWARDED\","
                    + "\"l4\":{\"TCP\":{\"source_port\":40000,\"destination_port\":8080}},\"source\":{\"namespace\":\"shop\",\"pod_name\":\"web-1\"},"
                    + "\"destination\":{\"namespace\":\"shop\",\"pod_name\":\"api-1\"},\"is_reply\":false,\"uuid\":\"r-" + i + "\","
                    + "\"some_new_field\":{\"x\":1}},\"node_name\":\"n1\"}");
        }
        lines.add(7, "this is not json");
        Path file = Files.write(dir.resolve("flows.json"), lines);

        CommandRun replay = CommandRun.of("ingest", "--replay", file.toString(), "--bootstrap-servers", kafka, "--health-port", "-1",
                "--set", "kafka.topics.flows=" + flowsTopic, "--node-name", "replay-it");
        assertThat(replay.exitCode()).isEqualTo(0);

        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ConsumerConfig.GROUP_ID_CONFIG, "replay-cli-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(flowsTopic));
            List<String> uuids = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (uuids.size() < 50 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    uuids.add(FlowRecord.parseFrom(r.value()).getUuid());
                }
            }
            assertThat(uuids).hasSize(50).doesNotHaveDuplicates();
        }
    }
}
