package io.hubbletopology.ingest.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.records.LinkEventCause;
import io.hubbletopology.records.LinkStateRecord;

/**
 * Real interfaces: a veth pair in a network namespace this test makes, read through that namespace's own sysfs
 * mounted at a directory of the test's (the configurable root, as a DaemonSet reads the host's at
 * /host/sys/class/net). Taking the peer down and up must show in the published records
 * (up -> lowerlayerdown -> up) within 2 s each, at the default 1 s poll.
 * <p>
 * Both ends live in the namespace on purpose: since Linux 6.x the kernel looks a veth's peer up in the
 * interface's own namespace to decide between lowerlayerdown and down, so an end whose peer sits in another
 * namespace reads "down" when the peer goes down.
 */
@Timeout(60)
class SysfsVethIT {

    private static final Duration WITHIN = Duration.ofSeconds(2);

    // Unique per run so parallel builds on one machine do not collide; interface names are at most 15 bytes.
    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final String namespace = "ht-it-" + id;
    private final String local = "htv" + id + "a";
    private final String peer = "htv" + id + "b";
    @TempDir
    Path sysfs;

    @BeforeEach
    void createVethPairInANamespaceAndMountItsSysfs() throws Exception {
        String why = run("ip", "netns", "add", namespace);
        Assumptions.assumeTrue(why == null, () -> "cannot create a network namespace here: " + why);
        String failed = run("ip", "-n", namespace, "link", "add", local, "type", "veth", "peer", "name", peer);
        if (failed == null) {
            failed = run("ip", "-n", namespace, "link", "set", local, "up");
        }
        if (failed == null) {
            failed = run("ip", "-n", namespace, "link", "set", peer, "up");
        }
        if (failed == null) {
            failed = run("nsenter", "--net=/run/netns/" + namespace, "mount", "-t", "sysfs", "sysfs", sysfs.toString());
        }
        String reason = failed;
        Assumptions.assumeTrue(reason == null, () -> "cannot create a veth pair and read its sysfs here: " + reason);
    }

    @AfterEach
    void removeThem() throws Exception {
        run("umount", sysfs.toString());
        run("ip", "netns", "del", namespace);
    }

    @Test
    void peerDownAndUpShowsAsUpLowerLayerDownUpWithinTwoSeconds() throws Exception {
        List<LinkStateRecord> sent = new CopyOnWriteArrayList<>();
        try (SysfsLinkSource source = new SysfsLinkSource(sysfs.resolve("class/net"), "veth-it", Duration.ofSeconds(1),
                Duration.ofSeconds(60), sent::add)) {
            source.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> latest(sent) != null && "up".equals(latest(sent).getOperstate()));
            LinkStateRecord up = latest(sent);
            assertThat(up.getCarrier()).isEqualTo(1);
            assertThat(up.getMac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
            assertThat(up.getMtu()).isEqualTo(1500);
            assertThat(up.getLinkType()).as("ARPHRD_ETHER").isEqualTo(1);

            assertThat(run("ip", "-n", namespace, "link", "set", peer, "down")).isNull();
            await().atMost(WITHIN).until(() -> "lowerlayerdown".equals(latest(sent).getOperstate()));
            assertThat(latest(sent).getCause()).isEqualTo(LinkEventCause.LINK_CHANGED);
            assertThat(latest(sent).getCarrier()).isZero();

            assertThat(run("ip", "-n", namespace, "link", "set", peer, "up")).isNull();
            await().atMost(WITHIN).until(() -> "up".equals(latest(sent).getOperstate()));
            assertThat(latest(sent).getCarrier()).isEqualTo(1);

            // Deleting the pair: published as removed.
            assertThat(run("ip", "-n", namespace, "link", "del", local)).isNull();
            await().atMost(WITHIN).until(() -> latest(sent).getRemoved());
            assertThat(latest(sent).getCause()).isEqualTo(LinkEventCause.LINK_REMOVED);
        }
    }

    private LinkStateRecord latest(List<LinkStateRecord> sent) {
        LinkStateRecord last = null;
        for (LinkStateRecord r : sent) {
            if (r.getInterface().equals(local)) {
                last = r;
            }
        }
        return last;
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command[0] + " cannot run: " + e.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " timed out";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + output;
    }
}
