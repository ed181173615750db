package io.hubbletopology.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hubbletopology.config.ConfigException;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.topics.TopicNames;

class ProcessorConfigTest {

    @Test
    void defaultsAreOneLocalInstanceWithOneMinuteWindowsKeptADay() {
        ProcessorConfig config = ProcessorConfig.from(ConfigValues.of(Map.of()));
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.applicationId()).isEqualTo("hubble-topology");
        assertThat(config.applicationServer()).isNull();
        assertThat(config.threads()).isEqualTo(1);
        assertThat(config.exactlyOnce()).isFalse();
        assertThat(config.windowSize()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.windowGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.windowRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.topics()).isEqualTo(TopicNames.defaults());
        // Under the user's state directory, not the system temp directory the OS may clear under a running processor.
        assertThat(config.stateDir()).isEqualTo(ProcessorConfig.localStateDir("processor"));
        assertThat(config.stateDir().getParent().getFileName()).hasToString("hubble-topology");
    }

    @Test
    void aTestsConfigurationIsTheRolesDefaultsWithEachChangeNamedByItsKey() {
        TopicNames topics = TopicNames.prefixed("t.");
        ProcessorConfig config = ProcessorConfig.defaults("127.0.0.1:1", "app", Path.of("/tmp/s"), topics,
                Map.of("processor.commit_interval", "200ms", "kafka.properties.session.timeout.ms", "10000"));
        Map<String, String> settings = new java.util.HashMap<>(KafkaSettings.topicOverrides(topics));
        settings.putAll(Map.of("kafka.bootstrap_servers", "127.0.0.1:1", "processor.application_id", "app",
                "processor.state_dir", "/tmp/s", "processor.commit_interval", "200ms", "kafka.properties.session.timeout.ms", "10000"));
        assertThat(config).isEqualTo(ProcessorConfig.from(ConfigValues.of(settings)));
        assertThat(config.topics()).isEqualTo(topics);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.windowGrace()).as("the rest at its default").isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> ProcessorConfig.defaults("127.0.0.1:1", "app", Path.of("/tmp/s"), topics,
                Map.of("processor.commit_intreval", "200ms"))).hasMessageContaining("processor.commit_intreval");
    }

    @Test
    void environmentVariablesOverrideTheDefaults() {
        ProcessorConfig config = ProcessorConfig.from(new ConfigValues(Map.of(), Map.of("APPLICATION_SERVER", "10.1.2.3:8080",
                "STREAM_THREADS", "4", "EXACTLY_ONCE", "true", "WINDOW_RETENTION", "2h", "STANDBY_REPLICAS", "1"), Map.of()));
        assertThat(config.applicationServer()).isEqualTo("10.1.2.3:8080");
        assertThat(config.threads()).isEqualTo(4);
        assertThat(config.exactlyOnce()).isTrue();
        assertThat(config.windowRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(config.standbyReplicas()).isEqualTo(1);
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertBad(Map.of("APPLICATION_SERVER", "no-port"), "invalid processor.application_server (from env APPLICATION_SERVER): 'no-port' is not host:port");
        assertBad(Map.of("STREAM_THREADS", "0"), "invalid processor.threads (from env STREAM_THREADS): 0 is not within 1..64");
        assertBad(Map.of("WINDOW_SIZE", "0s"), "invalid processor.window.size: must be positive, was PT0S");
        assertBad(Map.of("WINDOW_GRACE", "soon"), "invalid processor.window.grace (from env WINDOW_GRACE): 'soon' is not a duration like 500ms, 1s, 5m, 2h or 1d");
        assertBad(Map.of("APPLICATION_ID", "my app"), "invalid processor.application_id (from env APPLICATION_ID): 'my app' may only hold letters, digits, '.', '_' and '-'");
        assertThatThrownBy(() -> ProcessorConfig.from(ConfigValues.of(Map.of("topics.flows", "bad topic"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("invalid topics.flows: 'bad topic' is not a Kafka topic name");
        assertThatThrownBy(() -> ProcessorConfig.from(ConfigValues.of(Map.of("processor.window.retention", "1m"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid processor.window.retention: PT1M is shorter than window size plus grace (PT1M30S)")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("processor.window.retention");
    }

    @Test
    void listsEveryKeyOnceWithAnEnvironmentVariableForEachProcessorSetting() {
        assertThat(ProcessorConfig.keys()).extracting(ConfigKey::name).doesNotHaveDuplicates()
                .contains("processor.application_id", "processor.application_server", "processor.state_dir",
                        "processor.threads", "processor.standby_replicas", "processor.commit_interval",
                        "processor.exactly_once", "processor.window.size", "processor.window.grace",
                        "processor.window.retention", "topics.flows", "topics.dead_letter", "kafka.partitions");
        assertThat(ProcessorConfig.keys()).filteredOn(k -> k.name().startsWith("processor."))
                .allSatisfy(k -> assertThat(k.env()).isNotBlank());
    }

    private static void assertBad(Map<String, String> env, String message) {
        assertThatThrownBy(() -> ProcessorConfig.from(new ConfigValues(Map.of(), env, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
