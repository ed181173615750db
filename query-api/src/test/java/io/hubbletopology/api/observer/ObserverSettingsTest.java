package io.hubbletopology.api.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hubbletopology.config.ConfigValues;

class ObserverSettingsTest {

    private static int port(Map<String, String> values) {
        return ObserverSettings.from(ConfigValues.of(values)).port();
    }

    @Test
    void servesOnHubbleRelaysPortBesideTheDefaultApiPort() {
        assertThat(port(Map.of())).isEqualTo(4245);
        assertThat(port(Map.of("api.port", "8080"))).isEqualTo(4245);
    }

    @Test
    void processorsSideBySideWithTheirOwnApiPortsGetTheirOwnObserverPorts() {
        // The README starts a second processor with --api-port 8081: it must not fight the first over 4245.
        assertThat(port(Map.of("api.port", "8081"))).isEqualTo(4246);
        assertThat(port(Map.of("api.port", "8082"))).isEqualTo(4247);
    }

    @Test
    void anApiOnAnyFreePortGetsAnObserverOnAnyFreePort() {
        assertThat(port(Map.of("api.port", "0"))).isZero();
    }

    @Test
    void fallsBackToRelaysPortWhenTheShiftWouldLeaveTheRange() {
        assertThat(port(Map.of("api.port", "80"))).isEqualTo(4245);
    }

    @Test
    void aGivenPortWinsOverTheDerivedOne() {
        assertThat(port(Map.of("api.port", "8081", "observer.port", "5000"))).isEqualTo(5000);
        assertThat(port(Map.of("observer.port", "0"))).isZero();
    }

    @Test
    void aClientThatStopsReadingIsCutAfterAMinuteUnlessSetOtherwiseAndANonPositiveTimeoutFailsNamingTheKey() {
        assertThat(ObserverSettings.from(ConfigValues.of(Map.of())).stallTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ObserverSettings.from(ConfigValues.of(Map.of("observer.stall_timeout", "5m"))).stallTimeout())
                .isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ObserverSettings.from(ConfigValues.of(Map.of("observer.stall_timeout", "0s"))))
                .hasMessageContaining("observer.stall_timeout");
    }
}
