package io.hubbletopology.deploy.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs deploy/ansible/site.yml on this machine ({@code --connection=local -i localhost,}) with the given
 * variables, the way an operator would, and returns what it printed. Ansible's own temporary files go to
 * {@code work}, not the user's home.
 */
final class AnsiblePlaybook {

    static final Path DIR = Path.of("ansible");

    record Run(int exitCode, String output) {

        /** The PLAY RECAP's count, e.g. changed or failed. */
        int recap(String counter) {
            var m = java.util.regex.Pattern.compile("localhost\\s+:.*\\b" + counter + "=(\\d+)").matcher(output);
            if (!m.find()) {
                throw new AssertionError("no PLAY RECAP in:\n" + output);
            }
            return Integer.parseInt(m.group(1));
        }
    }

    private final Path tool;
    private final Path work;

    AnsiblePlaybook(Path work) {
        this.tool = HostTool.require("ansible-playbook", "ansible");
        this.work = work;
    }

    Run run(Map<String, Object> variables, String... options) throws IOException, InterruptedException {
        Path vars = Files.createTempFile(work, "vars", ".json");
        new ObjectMapper().writeValue(vars.toFile(), variables);
        List<String> command = new ArrayList<>(List.of(tool.toString(), "--connection=local", "-i", "localhost,",
                "-e", "hubble_topology_hosts=localhost", "-e", "@" + vars.toAbsolutePath()));
        command.addAll(List.of(options));
        command.add(DIR.resolve("site.yml").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_LOCAL_TEMP", work.resolve("ansible-local").toString());
        env.put("ANSIBLE_REMOTE_TEMP", work.resolve("ansible-remote").toString());
        env.put("ANSIBLE_PYTHON_INTERPRETER", "auto_silent");
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 3 minutes");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
