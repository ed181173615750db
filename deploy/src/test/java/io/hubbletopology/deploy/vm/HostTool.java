package io.hubbletopology.deploy.vm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * A program of the machine a test needs (systemd-analyze, ansible-playbook). Missing, the test is skipped with
 * a message saying what to install, except in CI (env CI=true), where .ci/run installs it and its absence fails.
 */
public final class HostTool {

    private HostTool() {
    }

    public static Path require(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = name + " is not on PATH: install Debian's " + debianPackage + " (apt-get install -y " + debianPackage
                + "; .ci/run does)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
