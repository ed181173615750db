package io.hubbletopology.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    @Test
    void everyRoleReadsTheTopicsUnderTopicsAndTheAgentsOlderNamesStillWork(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("agent.yaml"), "kafka:\n  topics:\n    flows: old.flows\n");
        ConfigValues old = ConfigValues.load(yaml, Map.of(), Map.of());
        assertThat(KafkaSettings.from(old).topics().flows()).isEqualTo("old.flows");
        assertThat(old.unknownFileKeys(KafkaSettings.keysWithTopics(KafkaSettings.topicKeys()))).isEmpty();

        ConfigValues both = ConfigValues.load(yaml, Map.of(), Map.of("topics.flows", "new.flows", "kafka.topics.links", "old.links"));
        KafkaSettings kafka = KafkaSettings.from(both);
        assertThat(kafka.topics().flows()).as("the key's own name wins over its alias").isEqualTo("new.flows");
        assertThat(kafka.topics().links()).isEqualTo("old.links");
    }

    @Test
    void aBadTopicNameUnderTheOldNameIsReportedUnderTheKey() {
        assertThatThrownBy(() -> KafkaSettings.from(ConfigValues.of(Map.of("kafka.topics.flows", "bad topic"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("invalid topics.flows: 'bad topic' is not a Kafka topic name");
    }

    @Test
    void kafkaPropertiesComeFromTheEnvironmentToo() {
        assertThat(KafkaSettings.propertiesFromEnv(Map.of("KAFKA_PROPERTY_SASL_MECHANISM", "PLAIN", "KAFKA_PROPERTY_", "x", "HOME", "/root")))
                .containsExactly(Map.entry("kafka.properties.sasl.mechanism", "PLAIN"));
        assertThatThrownBy(() -> KafkaSettings.from(ConfigValues.of(Map.of("kafka.bootstrap_servers", " "))))
                .hasMessage("invalid kafka.bootstrap_servers: must not be empty");
    }
}
