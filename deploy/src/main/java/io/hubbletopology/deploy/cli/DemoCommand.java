package io.hubbletopology.deploy.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.hubbletopology.broker.BrokerSettings;
import io.hubbletopology.deploy.roles.BrokerRole;
import io.hubbletopology.deploy.roles.IngestRole;
import io.hubbletopology.deploy.roles.ProcessorRole;
import io.hubbletopology.deploy.roles.RoleRunner;
import io.hubbletopology.deploy.roles.SimulatedHubbleRole;
import io.hubbletopology.ingest.DiscoveryMode;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.api.ApiSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run everything in one process to try it out: Kafka, a simulated Hubble, ingest, processor and API.",
                "",
                "The broker is real (KRaft); the simulated Hubble server speaks Hubble's gRPC protocol on loopback;",
                "the ingest agent reads it and this machine's /sys/class/net."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--api-port", defaultValue = "8080", description = "HTTP port of the API. Default: ${DEFAULT-VALUE}.")
    int apiPort;

    @Option(names = "--data-dir", description = "Where Kafka and the state stores keep data. Default: a new directory under ~/.local/state/hubble-topology, removed on exit.")
    Path dataDir;

    @Option(names = "--flows-per-second", defaultValue = "200", description = "Flows the simulated cluster emits per second. Default: ${DEFAULT-VALUE}.")
    double flowsPerSecond;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated cluster. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--sysfs-root", defaultValue = "/sys/class/net", description = "Where the interfaces are. Default: ${DEFAULT-VALUE}.")
    Path sysfsRoot;

    @Override
    public Integer call() throws IOException {
        if (flowsPerSecond <= 0) {
            throw new ParameterException(spec.commandLine(), "--flows-per-second must be positive");
        }
        if (apiPort < 0 || apiPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--api-port must be within 0..65535, was " + apiPort);
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? temporaryDataDir() : dataDir;
        BrokerRole broker = new BrokerRole(BrokerSettings.loopback(dir.resolve("kafka")));
        SimulatedHubbleRole hubble = new SimulatedHubbleRole(flowsPerSecond, seed);
        ProcessorRole processor = new ProcessorRole(
                () -> ProcessorConfig.defaults(broker.bootstrapServers(), dir.resolve("state")),
                new ApiSettings("0.0.0.0", apiPort, DiscoveryMode.BOTH.label()));
        IngestRole ingest = new IngestRole(() -> IngestConfig.of(java.util.Map.of(
                IngestConfig.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers(), IngestConfig.NODE_NAME.name(), "demo-node",
                IngestConfig.HUBBLE_ADDR.name(), hubble.address(), IngestConfig.SYSFS_ROOT.name(), sysfsRoot.toString(),
                IngestConfig.HEALTH_PORT.name(), "0")));
        try {
            return new RoleRunner().run(List.of(broker, processor, hubble, ingest), () -> System.out.println(
                    readyLine("http://localhost:" + processor.apiPort(), broker.bootstrapServers())));
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    /** What a new user needs first: the page to open, then the API, the Kafka to point other tools at, how to stop. */
    static String readyLine(String base, String kafka) {
        return "hubble-topology demo is running: open " + base + "/ (live map); API " + base + "/api/docs"
                + " (e.g. " + base + "/topology); Kafka " + kafka + ". Ctrl-C stops it.";
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
