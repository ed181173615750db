package io.hubbletopology.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.processor.ProcessorConfig;
import picocli.CommandLine;

class ProcessorCommandTest {

    @Test
    void aBadOptionValueExitsWith2AndOneLineNamingTheKey() {
        CommandRun run = CommandRun.of("processor", "--bootstrap-servers", "127.0.0.1:1", "--threads", "many");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("processor: invalid processor.threads: 'many' is not a whole number");
    }

    @Test
    void aBadValueInTheFileExitsWith2NamingTheKey(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("processor.yaml"), """
                processor:
                  window:
                    size: 5m
                    retention: 2m
                """);
        CommandRun run = CommandRun.of("processor", "--config", yaml.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip()).startsWith("processor: invalid processor.window.retention: PT2M is shorter than");
        assertThat(run.stderr().strip().lines()).hasSize(1);
    }

    @Test
    void requireAuthWithoutATokenExitsWith2AndOneLineNamingTheKey(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("processor.yaml"), "api:\n  require_auth: true\n");
        CommandRun run = CommandRun.of("processor", "--config", yaml.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip().lines()).hasSize(1);
        assertThat(run.stderr().strip()).startsWith("processor: api.require_auth is true but no token is configured");

        Path empty = Files.writeString(dir.resolve("tokens"), "\n  \n");
        Path withEmptyFile = Files.writeString(dir.resolve("empty-file.yaml"), "api:\n  require_auth: true\n  tokens_file: " + empty + "\n");
        CommandRun emptyFile = CommandRun.of("processor", "--config", withEmptyFile.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(emptyFile.exitCode()).isEqualTo(2);
        assertThat(emptyFile.stderr().strip()).startsWith("processor: api.require_auth").contains("missing or empty");
        assertThat(emptyFile.stderr().strip().lines()).hasSize(1);

        Path missing = Files.writeString(dir.resolve("missing-file.yaml"),
                "api:\n  require_auth: true\n  tokens_file: " + dir.resolve("no-such-file") + "\n");
        assertThat(CommandRun.of("processor", "--config", missing.toString(), "--bootstrap-servers", "127.0.0.1:1").exitCode()).isEqualTo(2);
    }

    @Test
    void optionsOverrideTheEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("processor.yaml"), """
                kafka:
                  bootstrap_servers: kafka-file:9092
                  properties:
                    security.protocol: SASL_SSL
                processor:
                  threads: 2
                  exactly_once: true
                  commit_interval: 250ms
                  window:
                    grace: 1m
                topics:
                  edge_updates: prod.topology.edges
                """);
        ProcessorCommand command = new ProcessorCommand();
        new CommandLine(command).parseArgs("--config", yaml.toString(), "--threads", "3", "--window-size", "30s");
        ProcessorConfig config = command.parse(command.values(
                Map.of("COMMIT_INTERVAL", "2s", "APPLICATION_SERVER", "10.0.0.7:8080", "STATE_DIR", dir.toString()))).processor();

        assertThat(config.bootstrapServers()).isEqualTo("kafka-file:9092");
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.threads()).isEqualTo(3);
        assertThat(config.exactlyOnce()).isTrue();
        assertThat(config.commitInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.applicationServer()).isEqualTo("10.0.0.7:8080");
        assertThat(config.windowSize()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.windowGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.windowRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.topics().edgeUpdates()).isEqualTo("prod.topology.edges");
        assertThat(config.stateDir()).isEqualTo(dir);
    }
}
