package io.hubbletopology.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigCatalogTest {

    @Test
    void listsTheEnvironmentVariablesEachRoleReadsToday() {
        assertThat(ConfigCatalog.envVars("ingest"))
                .contains("KAFKA_BOOTSTRAP_SERVERS", "DISCOVERY_MODE", "HUBBLE_ADDR", "NODE_NAME")
                .doesNotContain("APPLICATION_SERVER");
        assertThat(ConfigCatalog.envVars("processor"))
                .contains("KAFKA_BOOTSTRAP_SERVERS", "APPLICATION_SERVER")
                .doesNotContain("HUBBLE_ADDR", "NODE_NAME");
    }

    @Test
    void findsEveryReferenceInADefault() {
        assertThat(ConfigCatalog.envReferences("${env:A:-${env:B}}")).containsExactly("A", "B");
        assertThat(ConfigCatalog.envReferences("8080")).isEmpty();
        assertThat(ConfigCatalog.envReferences(null)).isEmpty();
    }

    @Test
    void refusesARoleTheJarDoesNotHave() {
        assertThatThrownBy(() -> ConfigCatalog.envVars("relay")).hasMessageContaining("no role 'relay'");
    }
}
