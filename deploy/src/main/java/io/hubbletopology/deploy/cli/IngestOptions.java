package io.hubbletopology.deploy.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.ingest.DiscoveryMode;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;
import io.hubbletopology.ingest.hubble.HubbleTarget;
import io.hubbletopology.topics.TopicNames;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The ingest agent's options. */
public final class IngestOptions {

    @Option(names = "--mode", paramLabel = "hubble|sysfs|both", defaultValue = "${env:DISCOVERY_MODE:-both}",
            description = "What to discover (env DISCOVERY_MODE). Default: ${DEFAULT-VALUE}.")
    public String mode;

    @Option(names = "--hubble-addr", paramLabel = "HOST:PORT|unix:///PATH", defaultValue = "${env:HUBBLE_ADDR:-localhost:4245}",
            description = "Hubble Relay (host:port, default port 4245) or the local agent's socket, "
                    + "e.g. unix:///var/run/cilium/hubble.sock (env HUBBLE_ADDR). Default: ${DEFAULT-VALUE}.")
    public String hubbleAddr;

    @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}",
            description = "This node's name (env NODE_NAME; default: the host name).")
    public String nodeName;

    @Option(names = "--verdict", split = ",", paramLabel = "VERDICT",
            description = "Keep only flows with these verdicts (e.g. FORWARDED,DROPPED). Default: all.")
    public List<String> verdicts = new ArrayList<>();

    @Option(names = "--exclude-pod", split = ",", paramLabel = "PREFIX",
            description = "Leave out flows from or to pods with this prefix (kube-system/ leaves out a namespace).")
    public List<String> excludedPods = new ArrayList<>();

    @Option(names = "--include-replies", description = "Keep reply flows too (left out by default, as hubble-ui does).")
    public boolean includeReplies;

    @Option(names = "--sysfs-root", defaultValue = "/sys/class/net",
            description = "Where the interfaces are (the host's /sys/class/net, mounted). Default: ${DEFAULT-VALUE}.")
    public Path sysfsRoot;

    @Option(names = "--poll-interval", defaultValue = "1s", converter = Durations.class,
            description = "How often link states are read. Default: ${DEFAULT-VALUE}.")
    public Duration pollInterval;

    @Option(names = "--snapshot-interval", defaultValue = "60s", converter = Durations.class,
            description = "How often every link state is published, changed or not. Default: ${DEFAULT-VALUE}.")
    public Duration snapshotInterval;

    @Option(names = "--max-backoff", defaultValue = "30s", converter = Durations.class,
            description = "The longest wait between reconnects to Hubble. Default: ${DEFAULT-VALUE}.")
    public Duration maxBackoff;

    @Option(names = "--flows-retention", defaultValue = "24h", converter = Durations.class,
            description = "Retention of the flows topic when this role creates it. Default: ${DEFAULT-VALUE}.")
    public Duration flowsRetention;

    /** The typed config, or a ParameterException naming the option that is wrong. */
    public IngestConfig toConfig(CommandSpec spec, KafkaOptions kafka, String bootstrapServers) {
        DiscoveryMode discovery;
        try {
            discovery = DiscoveryMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--mode: " + e.getMessage());
        }
        HubbleSourceSettings hubble = null;
        if (discovery.hubble()) {
            HubbleTarget target;
            try {
                target = HubbleTarget.parse(hubbleAddr);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--hubble-addr " + e.getMessage());
            }
            List<Verdict> keep = new ArrayList<>();
            for (String v : verdicts) {
                try {
                    keep.add(Verdict.valueOf(v.trim().toUpperCase()));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--verdict: '" + v + "' is not a Hubble verdict "
                            + "(FORWARDED, DROPPED, ERROR, AUDIT, REDIRECTED, TRACED, TRANSLATED)");
                }
            }
            hubble = new HubbleSourceSettings(target, keep, excludedPods, includeReplies, maxBackoff);
        }
        if (pollInterval.isZero() || snapshotInterval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--poll-interval and --snapshot-interval must be positive");
        }
        return new IngestConfig(bootstrapServers, Map.of(), node(), discovery, hubble, sysfsRoot, pollInterval,
                snapshotInterval, TopicNames.defaults(), kafka.partitions, kafka.replicationFactor, flowsRetention);
    }

    private String node() {
        if (nodeName != null && !nodeName.isBlank()) {
            return nodeName;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public static Path defaultSysfsRoot() {
        return IngestConfig.DEFAULT_SYSFS_ROOT;
    }
}
