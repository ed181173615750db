package io.hubbletopology.flowfilter;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hubble's wildcard patterns for names: FQDNs ("*.cilium.io", where {@code *} stands for one label's worth of
 * characters, no dot) and node names ("k8s*", "cluster/", "cluster/*.example.com", where a pattern without a
 * cluster part matches that node in any cluster).
 */
final class NamePattern {

    private final Pattern pattern;

    private NamePattern(Pattern pattern) {
        this.pattern = pattern;
    }

    static NamePattern fqdn(String field, String value) {
        String name = stripDot(value.trim().toLowerCase(Locale.ROOT));
        if (name.isEmpty()) {
            throw new InvalidFilterException(field, "an empty name matches nothing");
        }
        return new NamePattern(Pattern.compile(glob(name, "[^.]*")));
    }

    static NamePattern node(String field, String value) {
        String text = value.trim();
        if (text.isEmpty()) {
            throw new InvalidFilterException(field, "an empty node name matches nothing");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            // "worker-1" is node worker-1 whether Relay prefixed it with a cluster or not.
            return new NamePattern(Pattern.compile("(?:[^/]*/)?" + glob(text, "[^/]*")));
        }
        String cluster = glob(text.substring(0, slash), "[^/]*");
        String node = text.substring(slash + 1);
        return new NamePattern(Pattern.compile(cluster + "/" + (node.isEmpty() ? ".*" : glob(node, "[^/]*"))));
    }

    boolean matchesFqdn(String name) {
        return pattern.matcher(stripDot(name.toLowerCase(Locale.ROOT))).matches();
    }

    boolean matches(String name) {
        return pattern.matcher(name).matches();
    }

    private static String glob(String text, String star) {
        String[] parts = text.split("\\*", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append(star);
            }
            if (!parts[i].isEmpty()) {
                out.append(Pattern.quote(parts[i]));
            }
        }
        return out.toString();
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
