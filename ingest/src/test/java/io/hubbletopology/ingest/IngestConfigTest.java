package io.hubbletopology.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.hubble.flow.Verdict;

class IngestConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsTheOldAgentsYamlKeysAndOurs() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yaml"), """
                discovery:
                  mode: hubble
                  hubble_addr: "relay.example:4245"
                  poll_interval: 5
                  snapshot_interval: 2m
                  sysfs_root: /host/sys/class/net
                api:
                  port: 8080
                hubble:
                  verdicts: [FORWARDED, dropped]
                  exclude_pods: [kube-system/]
                  include_replies: true
                kafka:
                  bootstrap_servers: kafka:9092
                  topics: {flows: my.flows}
                  partitions: 12
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: PLAIN
                node:
                  name: worker-1
                """);
        IngestConfig c = IngestConfig.from(ConfigValues.load(yaml, Map.of(), Map.of()));
        assertThat(c.mode()).isEqualTo(DiscoveryMode.HUBBLE);
        assertThat(c.hubble().target().display()).isEqualTo("relay.example:4245");
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.snapshotInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.sysfsRoot()).isEqualTo(Path.of("/host/sys/class/net"));
        assertThat(c.hubble().verdicts()).containsExactly(Verdict.FORWARDED, Verdict.DROPPED);
        assertThat(c.hubble().excludedPods()).containsExactly("kube-system/");
        assertThat(c.hubble().includeReplies()).isTrue();
        assertThat(c.topics().flows()).isEqualTo("my.flows");
        assertThat(c.topics().links()).isEqualTo("hubble.links");
        assertThat(c.kafka().partitions()).isEqualTo(12);
        assertThat(c.nodeName()).isEqualTo("worker-1");
        assertThat(c.producerProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("bootstrap.servers", "kafka:9092").containsEntry("compression.type", "lz4");
    }

    @Test
    void environmentOverridesTheFileAndTheCommandLineOverridesBoth() throws Exception {
        Path yaml = Files.writeString(dir.resolve("c.yaml"), "discovery: {mode: sysfs, hubble_addr: a:1}\nnode: {name: from-file}\n");
        Map<String, String> env = Map.of("DISCOVERY_MODE", "both", "HUBBLE_ADDR", "b:2", "NODE_NAME", "from-env",
                "KAFKA_BOOTSTRAP_SERVERS", "env-kafka:9092");
        IngestConfig c = IngestConfig.from(ConfigValues.load(yaml, env, Map.of("discovery.hubble_addr", "unix:///run/hubble.sock")));
        assertThat(c.mode()).isEqualTo(DiscoveryMode.BOTH);
        assertThat(c.nodeName()).isEqualTo("from-env");
        assertThat(c.bootstrapServers()).isEqualTo("env-kafka:9092");
        assertThat(c.hubble().target().unixSocket()).isTrue();
        assertThat(c.hubble().target().socketPath()).isEqualTo("/run/hubble.sock");
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        IngestConfig c = IngestConfig.of(Map.of());
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.snapshotInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.hubble().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.hubble().includeReplies()).isFalse();
        assertThat(c.hubble().tls().enabled()).isFalse();
        assertThat(c.sysfsRoot()).isEqualTo(IngestConfig.DEFAULT_SYSFS_ROOT);
        assertThat(c.replay()).isFalse();
        assertThat(IngestConfig.keys()).extracting(k -> k.name()).doesNotHaveDuplicates()
                .contains("discovery.mode", "discovery.hubble_addr", "discovery.poll_interval", "kafka.bootstrap_servers");
    }

    @Test
    void aCaFileTurnsTlsOn() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
        IngestConfig c = IngestConfig.of(Map.of("hubble.tls.ca_file", ca.toString(), "hubble.tls.server_name", "relay.local"));
        assertThat(c.hubble().tls().enabled()).isTrue();
        assertThat(c.hubble().tls().mutual()).isFalse();
        assertThat(c.hubble().tls().serverName()).isEqualTo("relay.local");
    }

    @Test
    void badValuesNameTheirKey() {
        record Case(Map<String, String> values, String key) { }
        List<Case> cases = List.of(
                new Case(Map.of("discovery.mode", "kernel"), "discovery.mode"),
                new Case(Map.of("discovery.hubble_addr", "relay:99999"), "discovery.hubble_addr"),
                new Case(Map.of("discovery.poll_interval", "0"), "discovery.poll_interval"),
                new Case(Map.of("discovery.poll_interval", "soon"), "discovery.poll_interval"),
                new Case(Map.of("hubble.verdicts", "FORWARDED,MAYBE"), "hubble.verdicts"),
                new Case(Map.of("hubble.tls.ca_file", "/nonexistent/ca.crt"), "hubble.tls.ca_file"),
                new Case(Map.of("kafka.partitions", "0"), "kafka.partitions"),
                new Case(Map.of("kafka.compression", "brotli"), "kafka.compression"),
                new Case(Map.of("kafka.bootstrap_servers", " "), "kafka.bootstrap_servers"),
                new Case(Map.of("health.port", "70000"), "health.port"),
                new Case(Map.of("replay.file", "/nonexistent/flows.json"), "replay.file"));
        for (Case c : cases) {
            assertThatThrownBy(() -> IngestConfig.of(c.values())).as(c.key())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("invalid " + c.key())
                    .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(c.key()))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void aClientCertificateWithoutKeyIsRefused() throws Exception {
        Path cert = Files.writeString(dir.resolve("tls.crt"), "pem");
        assertThatThrownBy(() -> IngestConfig.of(Map.of("hubble.tls.cert_file", cert.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hubble.tls.key_file");
    }
}
