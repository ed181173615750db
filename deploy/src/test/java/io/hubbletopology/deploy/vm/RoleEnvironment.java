package io.hubbletopology.deploy.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hubbletopology.deploy.config.ConfigCatalog;

/**
 * The environment variables a role's environment file may set, each with a reader: the jar's role
 * ({@link ConfigCatalog}), the java launcher, the unit itself (the ${NAME} its ExecStart expands), and Kafka's
 * EnvVarConfigProvider where the role's YAML file says {@code ${env:NAME}}. A name no one reads is a typo or a
 * setting that silently does nothing.
 */
final class RoleEnvironment {

    /** Read by the java launcher, not the jar. */
    static final Set<String> JVM_ENV = Set.of("JDK_JAVA_OPTIONS");

    private static final Pattern ENV_IN_CONFIG = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private RoleEnvironment() {
    }

    /** What the unit's role reads, given the role's YAML file (null when it has none). */
    static SortedSet<String> readBy(SystemdUnit unit, Path yaml) {
        SortedSet<String> read = new TreeSet<>(ConfigCatalog.envVars(unit.role()));
        read.addAll(JVM_ENV);
        read.addAll(unit.expandedVariables());
        if (yaml != null) {
            read.addAll(referencedIn(yaml));
        }
        return read;
    }

    /** The ${env:NAME} of a YAML file's settings, comments left out. */
    static Set<String> referencedIn(Path yaml) {
        Set<String> out = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(yaml)) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                Matcher m = ENV_IN_CONFIG.matcher(line);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + yaml, e);
        }
        return out;
    }
}
