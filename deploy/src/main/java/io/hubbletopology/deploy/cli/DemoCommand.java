package io.hubbletopology.deploy.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.observer.ObserverSettings;
import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.deploy.roles.BrokerRole;
import io.hubbletopology.deploy.roles.DemoSettings;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.deploy.roles.SimulatedHubbleRole;
import io.hubbletopology.ingest.DiscoveryMode;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.processor.ProcessorConfig;
import picocli.CommandLine.Command;

@Command(name = "demo",
        description = {"Run everything in one process to try it out: Kafka, a simulated Hubble, ingest, processor and API.",
                "",
                "The broker is real (KRaft); the simulated Hubble server speaks Hubble's gRPC protocol on loopback;",
                "the ingest agent reads it and this machine's /sys/class/net."})
public final class DemoCommand extends SettingsCommand<DemoSettings> {

    /** No YAML file: the demo is everything at its defaults but for these few options. */
    public DemoCommand() {
        super(DemoSettings.keys(), DemoSettings::from, ConfigFile.NONE);
    }

    /** The demo is what its options say, whatever the roles' variables in this shell (API_PORT, SYSFS_ROOT) hold. */
    @Override
    protected Map<String, String> environment() {
        return Map.of();
    }

    @Override
    protected int run(DemoSettings demo) throws IOException {
        boolean temporary = demo.dataDir() == null;
        Path dir = temporary ? temporaryDataDir() : demo.dataDir();
        BrokerRole broker = new BrokerRole(BrokerSettings.loopback(dir.resolve("kafka")));
        SimulatedHubbleRole hubble = new SimulatedHubbleRole(demo.flowsPerSecond(), demo.seed(), demo.workloads());
        ProcessorRole processor = new ProcessorRole(
                () -> ProcessorConfig.defaults(broker.bootstrapServers(), dir.resolve("state")),
                new ApiSettings("0.0.0.0", demo.apiPort(), DiscoveryMode.BOTH.label()), observerBesideApi(demo.apiPort()));
        IngestRole ingest = new IngestRole(() -> IngestConfig.of(Map.of(
                KafkaSettings.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers(), IngestConfig.NODE_NAME.name(), "demo-node",
                IngestConfig.HUBBLE_ADDR.name(), hubble.address(), IngestConfig.SYSFS_ROOT.name(), demo.sysfsRoot().toString(),
                IngestConfig.HEALTH_PORT.name(), "0")));
        try {
            return new RoleRunner().run(List.of(broker, processor, hubble, ingest), () -> System.out.println(
                    readyLine("http://localhost:" + processor.apiPort(), "localhost:" + processor.observerPort(),
                            broker.bootstrapServers())));
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    /**
     * The Hubble API on 4245 beside the API on 8080, and moved with --api-port as the processor's is, so that demos
     * started side by side with their own API ports (tests and benchmarks on one machine) each get one.
     */
    private static ObserverSettings observerBesideApi(int apiPort) {
        return ObserverSettings.from(ConfigValues.of(Map.of(ApiSettings.PORT.name(), String.valueOf(apiPort))));
    }

    /** What a new user needs first: the page to open, then the API, the Kafka to point other tools at, how to stop. */
    static String readyLine(String base, String observer, String kafka) {
        return "hubble-topology demo is running: open " + base + "/ (live map); API " + base + "/api/docs"
                + " (e.g. " + base + "/topology); Hubble API " + observer + " (hubble observe --server " + observer
                + "); Kafka " + kafka + ". Ctrl-C stops it.";
    }

    /**
     * Beside the processor's own state (under ~/.local/state), not in the system temp directory: Kafka Streams
     * warns about state there, as the OS may clear it under a running demo. Removed on exit all the same.
     */
    private static Path temporaryDataDir() throws IOException {
        Path parent = ProcessorConfig.localStateDir("demo").getParent();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "demo-");
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
