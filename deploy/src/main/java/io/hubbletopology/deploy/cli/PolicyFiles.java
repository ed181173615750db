package io.hubbletopology.deploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Splits the YAML stream of {@code GET /api/v1/policies} into one file per policy, named for the policy
 * ({@code suggested-deployment-cart.yaml}). The stream's leading comments (the range, and what a partial answer
 * lacks) head every file, so a file read on its own still says where it came from.
 */
final class PolicyFiles {

    private static final YAMLMapper YAML = new YAMLMapper();
    // A name from the server becomes a file name: only what a Kubernetes name may hold, so never a path.
    private static final Pattern SAFE_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");

    private PolicyFiles() {
    }

    /** The stream's leading comment lines. */
    static String preamble(String stream) {
        return documents(stream).get(0);
    }

    /** File name -> content, in the stream's order. */
    static Map<String, String> split(String stream) throws IOException {
        List<String> parts = documents(stream);
        String preamble = parts.get(0);
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 1; i < parts.size(); i++) {
            JsonNode doc = YAML.readTree(parts.get(i));
            String name = doc == null ? "" : doc.path("metadata").path("name").asText("");
            String file = (SAFE_NAME.matcher(name).matches() && !name.contains("..") ? name : "policy-" + i) + ".yaml";
            files.put(files.containsKey(file) ? "policy-" + i + ".yaml" : file, preamble + "---\n" + parts.get(i));
        }
        return files;
    }

    /** Writes the files into {@code dir} (created when missing) and returns their paths. */
    static List<Path> write(Map<String, String> files, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path path = dir.resolve(f.getKey());
            Files.writeString(path, f.getValue(), StandardCharsets.UTF_8);
            written.add(path);
        }
        return written;
    }

    /** The stream cut at its {@code ---} lines: the preamble first, then each document. */
    private static List<String> documents(String stream) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : stream.split("\n", -1)) {
            if (line.equals("---")) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        String last = current.toString();
        parts.add(last.endsWith("\n\n") ? last.substring(0, last.length() - 1) : last);
        if (parts.size() == 1 && !parts.get(0).isBlank() && !parts.get(0).lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
            // A stream without --- holding an object: no preamble.
            parts.add(0, "");
        }
        return parts;
    }
}
