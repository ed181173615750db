package io.hubbletopology.deploy.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code systemd-analyze verify} and {@code security --offline} on a unit file, without installing it.
 * Verify refuses a unit whose ExecStart binary does not exist, and java need not be at /usr/bin/java on a
 * build machine: the unit is checked as a copy, in a temporary directory, whose ExecStart names an
 * executable stub there instead (verify checks that it exists and may be executed; it runs nothing). Nothing
 * else of the unit changes.
 */
final class SystemdAnalyze {

    record Result(int exitCode, String output) {
    }

    private final Path tool;

    SystemdAnalyze() {
        tool = HostTool.require("systemd-analyze", "systemd");
    }

    /** Verifies a copy of the unit, with its ExecStart binary under {@code root}. */
    Result verify(Path unit, Path root) throws IOException, InterruptedException {
        return run("verify", copyUnderRoot(unit, root).toString());
    }

    /** Rates the sandbox (exposure in tenths: 0 safest, 100 unrestricted); exits non-zero above the threshold. */
    Result security(Path unit, Path root, int threshold) throws IOException, InterruptedException {
        return run("security", "--offline=yes", "--threshold=" + threshold, copyUnderRoot(unit, root).toString());
    }

    private static Path copyUnderRoot(Path unit, Path root) throws IOException {
        Path java = root.resolve(SystemdUnit.JAVA.substring(1));
        if (!Files.exists(java)) {
            Files.createDirectories(java.getParent());
            Files.writeString(java, "#!/bin/sh\nexit 0\n");
            java.toFile().setExecutable(true);
        }
        Path dir = Files.createDirectories(root.resolve("units"));
        // The file keeps its name: verify takes the unit's name from it.
        Path copy = dir.resolve(unit.getFileName());
        Files.writeString(copy, Files.readString(unit).replace(SystemdUnit.JAVA + " ", java + " "));
        return copy;
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
