package io.hubbletopology.deploy.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The assignments of a systemd {@code EnvironmentFile=}: {@code NAME=value} lines, comments and blank lines
 * skipped, a value in double quotes unquoted with systemd's escapes (backslash before {@code " \ ` $}).
 */
final class EnvironmentFile {

    private EnvironmentFile() {
    }

    static Map<String, String> read(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq <= 0 || !l.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new AssertionError(file + ": not an assignment: " + l);
                }
                out.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        return out;
    }

    private static String unquote(String value) {
        if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
            return value;
        }
        return value.substring(1, value.length() - 1).replaceAll("\\\\([\"\\\\`$])", "$1");
    }
}
