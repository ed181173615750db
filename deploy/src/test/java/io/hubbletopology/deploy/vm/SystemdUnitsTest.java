package io.hubbletopology.deploy.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.Main;
import io.hubbletopology.deploy.config.ConfigCatalog;
import io.hubbletopology.sink.SinkConfig;
import picocli.CommandLine;

/**
 * The units of deploy/systemd run real roles of the jar with options the roles have, as the unprivileged
 * user under systemd's sandbox, and their example files set only what the roles read.
 * ({@code systemd-analyze verify} checks the syntax: SystemdUnitsIT.)
 */
class SystemdUnitsTest {

    static List<SystemdUnit> units() {
        return SystemdUnit.all();
    }

    @Test
    void thereIsAUnitForEveryRoleThatRunsOffCluster() {
        assertThat(units()).extracting(SystemdUnit::role).containsExactlyInAnyOrder("broker", "processor", "ingest", "sink");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void execStartRunsARoleOfTheJarWithItsOwnOptions(SystemdUnit unit) {
        assertThat(unit.execStart()).as("java -jar the installed jar").startsWith(SystemdUnit.JAVA, "-jar", SystemdUnit.JAR);
        Map<String, String> env = new LinkedHashMap<>(unit.environment());
        env.putAll(EnvironmentFile.read(example(unit)));
        List<String> args = unit.jarArguments(env);
        // picocli refuses an unknown role or option, a missing value and a value of the wrong type.
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand()).as(unit + ": " + args).isNotNull();
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(unit.role());
        assertThat(unit.value("EnvironmentFile")).isEqualTo("/etc/hubble-topology/" + unit.role() + ".env");
        if (!unit.role().equals("broker")) {
            assertThat(parsed.subcommand().matchedOptionValue("--config", (Path) null))
                    .isEqualTo(Path.of("/etc/hubble-topology/" + unit.role() + ".yaml"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void runsUnprivilegedInSystemdsSandbox(SystemdUnit unit) {
        assertThat(unit.value("User")).isEqualTo("hubble-topology");
        assertThat(unit.value("Group")).isEqualTo("hubble-topology");
        Map<String, String> expected = Map.ofEntries(
                Map.entry("NoNewPrivileges", "yes"), Map.entry("ProtectSystem", "strict"), Map.entry("ProtectHome", "yes"),
                Map.entry("PrivateTmp", "yes"), Map.entry("PrivateDevices", "yes"), Map.entry("CapabilityBoundingSet", ""),
                Map.entry("AmbientCapabilities", ""), Map.entry("ProtectKernelTunables", "yes"),
                Map.entry("ProtectKernelModules", "yes"), Map.entry("ProtectControlGroups", "yes"),
                Map.entry("RestrictSUIDSGID", "yes"), Map.entry("RestrictNamespaces", "yes"), Map.entry("LockPersonality", "yes"),
                Map.entry("Restart", "on-failure"), Map.entry("StandardOutput", "journal"), Map.entry("StandardError", "journal"));
        expected.forEach((key, value) -> assertThat(unit.value(key)).as(unit + " " + key).isEqualTo(value));
        // The JIT writes the code it runs: MemoryDenyWriteExecute would stop the JVM at start.
        assertThat(unit.values("MemoryDenyWriteExecute")).as(unit + " MemoryDenyWriteExecute").isEmpty();
        assertThat(unit.value("RestartPreventExitStatus")).as("exit 2 is a bad setting: no restart loop").isEqualTo("2");
    }

    @Test
    void stateLivesInTheStateDirectory() {
        SystemdUnit processor = unit("processor");
        assertThat(processor.environment()).containsEntry("STATE_DIR", "/var/lib/" + processor.value("StateDirectory"));
        assertThat(EnvironmentFile.read(example(processor))).as("the example leaves the state where the sandbox lets it write")
                .doesNotContainKey("STATE_DIR");
        assertThat(unit("sink").values("StateDirectory")).as("the sink's offsets are in Kafka: it writes nowhere").isEmpty();
        SystemdUnit broker = unit("broker");
        List<String> args = broker.jarArguments();
        assertThat(args.get(args.indexOf("--data-dir") + 1)).isEqualTo("/var/lib/" + broker.value("StateDirectory"));
    }

    @Test
    void stopTimeoutsOutlastEachRolesOwnShutdown() {
        // The processor closes Kafka Streams within 10 s (TopologyProcessor.close) after the API and a 2 s
        // admin client; the agent flushes for at most 5 s (IngestAgent.CLOSE_TIMEOUT); Kafka's own shutdown
        // has no bound in the broker role and took under a second here. The sink waits for a write in flight
        // and its last commit for at most the request timeout plus 10 s (TsdbSink.stop; 20.4 s with Kafka gone).
        // Past TimeoutStopSec systemd kills.
        assertThat(stopTimeout("processor")).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        Duration sinkRequestTimeout = ConfigValues.of(Map.of()).get(SinkConfig.REQUEST_TIMEOUT);
        assertThat(stopTimeout("sink")).isGreaterThan(sinkRequestTimeout.plusSeconds(10));
        assertThat(stopTimeout("ingest")).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(stopTimeout("broker")).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        // A SIGTERM before the role's handler is installed ends the JVM with 128+15.
        units().forEach(u -> assertThat(u.value("SuccessExitStatus")).as(u.toString()).contains("143"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void theExampleEnvironmentFileSetsOnlyWhatTheRoleReads(SystemdUnit unit) {
        Map<String, String> env = EnvironmentFile.read(example(unit));
        assertThat(env).as(example(unit) + " sets something").isNotEmpty();
        Path yaml = exampleConfig(unit);
        assertThat(env.keySet()).as(example(unit) + ": the " + unit.role() + " role reads only these")
                .isSubsetOf(RoleEnvironment.readBy(unit, yaml));
        if (yaml != null) {
            // Every value it sets parses, from the file or the environment: a bad one fails here, not at a start.
            ConfigValues values = ConfigValues.load(yaml, env, Map.of());
            assertThat(values.unknownFileKeys(ConfigCatalog.keys(unit.role()))).as(yaml + " keys unknown to the role").isEmpty();
            ConfigCatalog.keys(unit.role()).forEach(values::get);
        }
    }

    static Path example(SystemdUnit unit) {
        return SystemdUnit.DIR.resolve(unit.role() + ".env.example");
    }

    /** The example YAML file, or null for a role that takes none. */
    static Path exampleConfig(SystemdUnit unit) {
        Path yaml = SystemdUnit.DIR.resolve(unit.role() + ".yaml.example");
        return Files.exists(yaml) ? yaml : null;
    }

    private static SystemdUnit unit(String role) {
        return units().stream().filter(u -> u.role().equals(role)).findFirst().orElseThrow();
    }

    private static Duration stopTimeout(String role) {
        String text = unit(role).value("TimeoutStopSec");
        assertThat(text).as(role + " TimeoutStopSec in seconds").matches("\\d+s?");
        return Duration.ofSeconds(Long.parseLong(text.replace("s", "")));
    }
}
