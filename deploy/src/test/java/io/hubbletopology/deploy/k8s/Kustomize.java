package io.hubbletopology.deploy.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a kustomization the way an operator's {@code kubectl apply -k} does: with {@code kubectl kustomize}
 * (the binary named by the system property or environment variable {@code KUBECTL}, else the one on PATH).
 * Kustomize is not reimplemented here: a test that rendered with code of our own would prove our renderer,
 * not what kubectl applies. .ci/run installs kubectl where it is missing.
 */
final class Kustomize {

    static final Path K8S = Path.of("k8s");
    /** Every directory an operator may apply with -k. */
    static final List<String> KUSTOMIZATIONS = List.of("overlays/dev", "overlays/production", "sink", "sink-sasl", "strimzi",
            "monitoring");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    /** The objects of one kustomization, in kubectl's order. */
    static List<JsonNode> render(String kustomization) throws IOException, InterruptedException {
        Path dir = K8S.resolve(kustomization);
        Process p = new ProcessBuilder(kubectl(), "kustomize", dir.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
        }
        List<JsonNode> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).readValues(out)) {
            while (docs.hasNext()) {
                JsonNode doc = (JsonNode) docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        }
        return objects;
    }

    static String kubectl() {
        String named = System.getProperty("KUBECTL", System.getenv("KUBECTL"));
        if (named != null && !named.isBlank()) {
            return named;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("kubectl is not on PATH: the manifests cannot be rendered. Install it "
                + "(Debian: apt-get install kubernetes-client; .ci/run does) or set KUBECTL to its path.");
    }
}
