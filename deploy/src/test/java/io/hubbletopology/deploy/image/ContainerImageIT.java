package io.hubbletopology.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.hubbletopology.deploy.Main;
import io.hubbletopology.deploy.k8s.Rendered;
import picocli.CommandLine;

/**
 * The container image, proven without a Docker engine: its Dockerfile copies the jar this build produces,
 * runs it on Java 21 or newer as the same non-root user the manifests require, and its entrypoint plus a
 * role's name is a working command line for every role (run here exactly so, on the built jar).
 */
class ContainerImageIT {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path POM = Path.of("pom.xml");

    private static Dockerfile dockerfile;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Dockerfile.read(DOCKERFILE);
    }

    @Test
    void copiesTheJarThisBuildProducesToWhereTheEntrypointRunsIt() throws Exception {
        String[] copy = dockerfile.last("COPY").orElseThrow().split("\\s+");
        String source = copy[copy.length - 2];
        String target = copy[copy.length - 1];
        assertThat(source).isEqualTo("target/" + shadedJarName() + ".jar");
        Path built = Path.of(source);
        assertThat(built).as("the package phase builds it").isRegularFile();
        try (JarFile jar = new JarFile(built.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
        }
        assertThat(entrypoint()).containsExactly("java", "-jar", target);
        // The build context is deploy/; .dockerignore must let the jar through.
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("!" + source);
    }

    @Test
    void runsOnJava21OrNewer() {
        String from = dockerfile.last("FROM").orElseThrow();
        Matcher m = Pattern.compile("^eclipse-temurin:(\\d+)(\\.[\\d.]+)?-jre\\b.*").matcher(from);
        assertThat(m.matches()).as("FROM " + from + " is a Temurin JRE").isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(21);
    }

    @Test
    void runsAsTheNonRootUserTheManifestsRequire() throws Exception {
        String user = dockerfile.last("USER").orElseThrow();
        String[] ids = user.split(":");
        long uid = Long.parseLong(ids[0]);
        assertThat(uid).as("numeric, so runAsNonRoot can check it").isPositive();
        for (String overlay : List.of("overlays/dev", "overlays/production")) {
            Rendered facts = Rendered.of(overlay);
            for (var pod : List.of(facts.only(DaemonSet.class).getSpec().getTemplate().getSpec(),
                    facts.only(StatefulSet.class).getSpec().getTemplate().getSpec())) {
                assertThat(pod.getSecurityContext().getRunAsUser()).as(overlay).isEqualTo(uid);
                if (ids.length > 1) {
                    assertThat(pod.getSecurityContext().getRunAsGroup()).as(overlay).isEqualTo(Long.parseLong(ids[1]));
                }
            }
        }
        var sink = Rendered.of("sink").only(Deployment.class).getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(sink.getRunAsUser()).as("sink").isEqualTo(uid);
        if (ids.length > 1) {
            assertThat(sink.getRunAsGroup()).as("sink").isEqualTo(Long.parseLong(ids[1]));
        }
        // The entrypoint runs after USER, so nothing runs as root at run time.
        List<String> order = dockerfile.instructions().stream().map(Dockerfile.Instruction::keyword).toList();
        assertThat(order.lastIndexOf("USER")).isLessThan(order.lastIndexOf("ENTRYPOINT"));
    }

    @Test
    void sizesTheHeapFromTheContainersMemoryLimit() {
        assertThat(dockerfile.all("ENV")).anySatisfy(env ->
                assertThat(env.arguments()).startsWith("JDK_JAVA_OPTIONS=").contains("-XX:MaxRAMPercentage="));
    }

    @Test
    @Timeout(180)
    void theEntrypointWithARoleNameRunsThatRole() throws Exception {
        List<String> roles = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
        roles.remove("help");
        assertThat(roles).contains("ingest", "processor", "broker");
        String java = java21OrNewer();
        System.out.println("Running the entrypoint with " + java);
        List<String> entrypoint = entrypoint();
        String jarInImage = entrypoint.get(2);
        for (String role : roles) {
            List<String> command = new ArrayList<>();
            for (String part : entrypoint) {
                // The image's java and jar, here: a Java 21+ runtime and the jar the image copies.
                command.add(part.equals("java") ? java : part.equals(jarInImage) ? "target/" + shadedJarName() + ".jar" : part);
            }
            command.add(role);
            command.add("--help");
            Result r = run(command);
            assertThat(r.exit()).as(role + ": " + r.output()).isZero();
            assertThat(r.output()).as(role).contains("Usage: hubble-topology " + role);
        }
        // No argument: the image's CMD.
        List<String> bare = new ArrayList<>(List.of(java, "-jar", "target/" + shadedJarName() + ".jar"));
        bare.addAll(Dockerfile.execForm(dockerfile.last("CMD").orElseThrow()));
        Result r = run(bare);
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("ingest", "processor");
    }

    private static List<String> entrypoint() throws IOException {
        return Dockerfile.execForm(dockerfile.last("ENTRYPOINT").orElseThrow());
    }

    private record Result(int exit, String output) {
    }

    /** Runs as the container would: with the image's JDK_JAVA_OPTIONS in the environment. */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        for (Dockerfile.Instruction env : dockerfile.all("ENV")) {
            String[] kv = env.arguments().split("=", 2);
            pb.environment().put(kv[0], kv[1].replaceAll("^\"|\"$", ""));
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String shadedJarName() throws IOException {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(POM));
        assertThat(m.find()).as("deploy/pom.xml names the shaded jar").isTrue();
        return m.group(1);
    }

    /** A Java 21+ runtime like the image's, when the machine has one (here: Temurin 25); else this JVM. */
    private static String java21OrNewer() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path release = dir.resolve("release");
                    Path java = dir.resolve("bin/java");
                    if (Files.isRegularFile(release) && Files.isExecutable(java)) {
                        Matcher v = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                        if (v.find() && Integer.parseInt(v.group(1)) >= 21) {
                            return java.toString();
                        }
                    }
                }
            }
        }
        return ProcessHandle.current().info().command().orElse("java");
    }
}
