package io.hubbletopology.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValuesTest {

    static final ConfigKey<Duration> POLL = ConfigKey.duration("discovery.poll_interval", "POLL_INTERVAL", "1s", "poll");
    static final ConfigKey<String> ADDR = ConfigKey.string("discovery.hubble_addr", "HUBBLE_ADDR", "localhost:4245", "addr");
    static final ConfigKey<List<String>> PODS = ConfigKey.list("hubble.exclude_pods", null, "", "pods");

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yaml"), """
                discovery:
                  mode: hubble
                  hubble_addr: "relay:4245"
                  poll_interval: 5
                hubble:
                  exclude_pods: [kube-system/, monitoring/]
                kafka:
                  properties:
                    security.protocol: SASL_SSL
                """);
        ConfigValues fileOnly = ConfigValues.load(yaml, Map.of(), Map.of());
        assertThat(fileOnly.get(POLL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(fileOnly.get(ADDR)).isEqualTo("relay:4245");
        assertThat(fileOnly.get(PODS)).containsExactly("kube-system/", "monitoring/");
        assertThat(fileOnly.withPrefix("kafka.properties.")).containsEntry("security.protocol", "SASL_SSL");

        ConfigValues env = ConfigValues.load(yaml, Map.of("HUBBLE_ADDR", "10.0.0.1:4245"), Map.of());
        assertThat(env.get(ADDR)).isEqualTo("10.0.0.1:4245");
        ConfigValues cli = ConfigValues.load(yaml, Map.of("HUBBLE_ADDR", "10.0.0.1:4245"), Map.of("discovery.hubble_addr", "cli:1"));
        assertThat(cli.get(ADDR)).isEqualTo("cli:1");
        assertThat(ConfigValues.of(Map.of()).get(POLL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(fileOnly.unknownFileKeys(List.of(POLL, ADDR, PODS))).containsExactly("discovery.mode");
    }

    @Test
    void aBadValueNamesItsKeyAndWhereItCameFrom() {
        assertThatThrownBy(() -> new ConfigValues(Map.of(), Map.of("POLL_INTERVAL", "often"), Map.of()).get(POLL))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid discovery.poll_interval (from env POLL_INTERVAL): 'often' is not a duration like 500ms, 1s, 5m, 2h or 1d");
        ConfigKey<Integer> port = ConfigKey.integer("api.port", "API_PORT", "8080", 1, 65535, "port");
        assertThatThrownBy(() -> ConfigValues.of(Map.of("api.port", "70000")).get(port))
                .hasMessage("invalid api.port: 70000 is not within 1..65535");
    }
}
