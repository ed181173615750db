package io.hubbletopology.deploy.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A systemd unit file of deploy/systemd, read the way systemd reads the parts these tests look at:
 * sections of {@code Key=value} lines, a key given several times keeps every value, {@code Environment=}
 * assignments may be quoted. It is no general unit parser; {@code systemd-analyze verify} checks the syntax.
 */
record SystemdUnit(Path file, Map<String, List<String>> service) {

    static final Path DIR = Path.of("systemd");
    static final String JAR = "/usr/share/hubble-topology/hubble-topology.jar";
    static final String JAVA = "/usr/bin/java";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static SystemdUnit read(Path file) {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                    continue;
                }
                if (l.startsWith("[")) {
                    section = l;
                } else if (section.equals("[Service]")) {
                    int eq = l.indexOf('=');
                    service.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        return new SystemdUnit(file, service);
    }

    /** The role the unit's file name says it runs: hubble-topology-processor.service runs processor. */
    String role() {
        return file.getFileName().toString().replace("hubble-topology-", "").replace(".service", "");
    }

    List<String> values(String key) {
        return service.getOrDefault(key, List.of());
    }

    String value(String key) {
        List<String> all = values(key);
        if (all.size() != 1) {
            throw new AssertionError(file + " sets " + key + " " + all.size() + " times, expected once");
        }
        return all.get(0);
    }

    /** ExecStart's words (the units quote nothing there). */
    List<String> execStart() {
        return List.of(value("ExecStart").trim().split("\\s+"));
    }

    /** The arguments after {@code -jar JAR}: the role and its options, ${NAME} left as written. */
    List<String> jarArguments() {
        List<String> words = execStart();
        int jar = words.indexOf("-jar");
        if (jar < 0 || jar + 1 >= words.size()) {
            throw new AssertionError(file + " ExecStart does not run a jar: " + words);
        }
        return words.subList(jar + 2, words.size());
    }

    /** The variables ExecStart expands, ${NAME}: the unit reads these itself. */
    List<String> expandedVariables() {
        List<String> out = new ArrayList<>();
        Matcher m = REFERENCE.matcher(value("ExecStart"));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The unit's Environment= defaults, in order. */
    Map<String, String> environment() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String assignment : values("Environment")) {
            String a = assignment.startsWith("\"") && assignment.endsWith("\"") ? assignment.substring(1, assignment.length() - 1) : assignment;
            int eq = a.indexOf('=');
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }

    /** ExecStart's jar arguments with ${NAME} replaced by the environment's value. */
    List<String> jarArguments(Map<String, String> env) {
        return jarArguments().stream().map(word -> {
            Matcher m = REFERENCE.matcher(word);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = env.get(m.group(1));
                if (value == null) {
                    throw new AssertionError(file + " expands ${" + m.group(1) + "}, which nothing sets");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            return m.appendTail(out).toString();
        }).toList();
    }

    static List<SystemdUnit> all() {
        try (var files = Files.list(DIR)) {
            List<SystemdUnit> units = files.filter(p -> p.toString().endsWith(".service")).sorted().map(SystemdUnit::read).toList();
            if (units.isEmpty()) {
                throw new AssertionError("no units under " + DIR.toAbsolutePath());
            }
            return units;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}
