package io.hubbletopology.ingest.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hubbletopology.records.LinkCounters;
import io.hubbletopology.records.LinkStateRecord;

/**
 * Reads one interface's state from sysfs ({@code <root>/<interface>/...}). The kernel refuses some reads
 * (speed raises EINVAL on many virtual interfaces, carrier on an interface that is down): those attributes
 * are left unset, never an error.
 */
final class SysfsReader {

    private SysfsReader() {
    }

    /** The interface's state without node and time, or null when the interface vanished while being read. */
    static LinkStateRecord.Builder read(Path dir) {
        String operstate = text(dir.resolve("operstate"));
        if (operstate == null) {
            return null;
        }
        LinkStateRecord.Builder link = LinkStateRecord.newBuilder()
                .setInterface(dir.getFileName().toString())
                .setOperstate(operstate);
        Long carrier = number(dir.resolve("carrier"));
        if (carrier != null) {
            link.setCarrier(carrier.intValue());
        }
        Long speed = number(dir.resolve("speed"));
        // The kernel reports -1 (as 4294967295 on some versions) for an unknown speed.
        if (speed != null && speed >= 0 && speed != 4294967295L) {
            link.setSpeedMbps(speed);
        }
        Long mtu = number(dir.resolve("mtu"));
        if (mtu != null) {
            link.setMtu(mtu.intValue());
        }
        Long type = number(dir.resolve("type"));
        if (type != null) {
            link.setLinkType(type.intValue());
        }
        String mac = text(dir.resolve("address"));
        if (mac != null) {
            link.setMac(mac);
        }
        Path stats = dir.resolve("statistics");
        link.setCounters(LinkCounters.newBuilder()
                .setRxBytes(counter(stats, "rx_bytes"))
                .setTxBytes(counter(stats, "tx_bytes"))
                .setRxPackets(counter(stats, "rx_packets"))
                .setTxPackets(counter(stats, "tx_packets"))
                .setRxErrors(counter(stats, "rx_errors"))
                .setTxErrors(counter(stats, "tx_errors"))
                .setRxDropped(counter(stats, "rx_dropped"))
                .setTxDropped(counter(stats, "tx_dropped")));
        return link;
    }

    private static long counter(Path stats, String name) {
        Long value = number(stats.resolve(name));
        return value == null ? 0 : value;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static Long number(Path file) {
        String s = text(file);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
