package io.hubbletopology.ingest;

import java.util.Locale;

/** What the agent discovers: flows from Hubble, link states from sysfs, or both. */
public enum DiscoveryMode {
    HUBBLE, SYSFS, BOTH;

    /** @throws IllegalArgumentException listing the accepted values */
    public static DiscoveryMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of hubble, sysfs, both");
        }
    }

    public boolean hubble() {
        return this != SYSFS;
    }

    public boolean sysfs() {
        return this != HUBBLE;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
