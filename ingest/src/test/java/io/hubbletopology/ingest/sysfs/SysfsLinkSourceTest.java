package io.hubbletopology.ingest.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.records.LinkEventCause;
import io.hubbletopology.records.LinkStateRecord;

/** Unit test over a directory laid out like /sys/class/net; the real-interface test is SysfsVethIT. */
class SysfsLinkSourceTest {

    @TempDir
    Path root;

    private void iface(String name, String operstate, String carrier, String speed) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name).resolve("statistics"));
        Files.writeString(root.resolve(name).resolve("operstate"), operstate + "\n");
        if (carrier != null) {
            Files.writeString(root.resolve(name).resolve("carrier"), carrier + "\n");
        } else {
            Files.deleteIfExists(root.resolve(name).resolve("carrier"));
        }
        if (speed != null) {
            Files.writeString(root.resolve(name).resolve("speed"), speed + "\n");
        }
        Files.writeString(root.resolve(name).resolve("mtu"), "1500\n");
        Files.writeString(dir.resolve("rx_bytes"), "42\n");
    }

    @Test
    void publishesChangesRemovalsAndLeavesUnreadableAttributesUnset() throws IOException {
        List<LinkStateRecord> sent = new ArrayList<>();
        SysfsLinkSource source = new SysfsLinkSource(root, "node-1", Duration.ofSeconds(1), Duration.ofHours(1), sent::add);
        iface("eth0", "up", "1", "10000");
        iface("veth1", "up", "1", "-1");

        source.poll();
        assertThat(sent).extracting(LinkStateRecord::getInterface).containsExactly("eth0", "veth1");
        assertThat(sent.get(0).getSpeedMbps()).isEqualTo(10000);
        assertThat(sent.get(1).hasSpeedMbps()).isFalse();
        assertThat(sent.get(0).getCounters().getRxBytes()).isEqualTo(42);

        sent.clear();
        source.poll();
        assertThat(sent).as("nothing changed, no snapshot due").isEmpty();

        iface("veth1", "lowerlayerdown", null, null);
        source.poll();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getOperstate()).isEqualTo("lowerlayerdown");
        assertThat(sent.get(0).hasCarrier()).isFalse();
        assertThat(sent.get(0).getCause()).isEqualTo(LinkEventCause.LINK_CHANGED);

        sent.clear();
        deleteTree(root.resolve("veth1"));
        source.poll();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getRemoved()).isTrue();
        assertThat(sent.get(0).getNodeName()).isEqualTo("node-1");
    }

    @Test
    void publishesEveryInterfaceWhenASnapshotIsDue() throws IOException {
        List<LinkStateRecord> sent = new ArrayList<>();
        SysfsLinkSource source = new SysfsLinkSource(root, "n", Duration.ofSeconds(1), Duration.ofNanos(1), sent::add);
        iface("eth0", "up", "1", "1000");
        source.poll();
        source.poll();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getCause()).isEqualTo(LinkEventCause.LINK_SNAPSHOT);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
