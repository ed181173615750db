package io.hubbletopology.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.hubbletopology.config.ConfigValues;

/**
 * The production overlay keeps Kafka's SASL credentials out of the ConfigMap: the mounted YAML says
 * {@code sasl.jaas.config: ${env:KAFKA_SASL_JAAS_CONFIG}} and Kafka's EnvVarConfigProvider resolves it from
 * the environment, where the Secret puts it. This shows the Kafka clients we ship resolve such a reference
 * with the providers exactly as the production files declare them (no system property needed). The sink's
 * SASL kustomization ({@code deploy/k8s/sink-sasl}) declares them the same way.
 */
class KafkaCredentialsFromEnvTest {

    /** Each role's config file with SASL, the sink's from the sink-sasl kustomization. */
    private static final Map<String, String> CONFIG_FILES = Map.of("ingest", "overlays/production/config/ingest.yaml",
            "processor", "overlays/production/config/processor.yaml", "sink", "sink-sasl/config/sink.yaml");

    @Test
    void theSinkTalksToKafkaAsTheProductionProcessorDoes() {
        assertThat(kafkaProperties("sink")).isEqualTo(kafkaProperties("processor"));
    }

    private static Map<String, Object> kafkaProperties(String role) {
        Path yaml = Kustomize.K8S.resolve(CONFIG_FILES.get(role));
        return new HashMap<>(ConfigValues.load(yaml, Map.of(), Map.of()).withPrefix("kafka.properties."));
    }

    @Test
    void kafkaClientsResolveEnvReferencesWithTheProvidersTheProductionConfigDeclares() {
        for (String role : CONFIG_FILES.keySet()) {
            Map<String, Object> props = kafkaProperties(role);
            assertThat(props).as(role).containsEntry("sasl.jaas.config", "${env:KAFKA_SASL_JAAS_CONFIG}");

            // The test JVM has no KAFKA_SASL_JAAS_CONFIG; any variable it has shows the same resolution.
            Map.Entry<String, String> present = System.getenv().entrySet().stream()
                    .filter(e -> e.getKey().matches("[A-Z_]+") && !e.getValue().isBlank() && !e.getValue().contains("${"))
                    .findFirst().orElseThrow();
            props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "${env:" + present.getKey() + "}");
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "kafka:9093");

            AdminClientConfig config = new AdminClientConfig(props);

            assertThat(config.getString(CommonClientConfigs.CLIENT_ID_CONFIG)).as(role).isEqualTo(present.getValue());
            assertThat(config.getString(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)).isEqualTo("SASL_SSL");
        }
    }
}
