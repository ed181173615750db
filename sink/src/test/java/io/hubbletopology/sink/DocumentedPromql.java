package io.hubbletopology.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The example PromQL of docs/topics.md ("Send it to Prometheus"): the {@code promql} block, one expression per line
 * with its {@code #} comment cut off, an indented line continuing the one before. For running each against the TSDBs.
 */
final class DocumentedPromql {

    private static final Path TOPICS = Path.of("../docs/topics.md");

    private DocumentedPromql() {
    }

    static List<String> expressions() throws IOException {
        String doc = Files.readString(TOPICS);
        int start = doc.indexOf("```promql\n");
        if (start < 0) {
            throw new IllegalStateException(TOPICS + " has no promql block");
        }
        String block = doc.substring(start + "```promql\n".length(), doc.indexOf("```", start + 10));
        List<String> expressions = new ArrayList<>();
        for (String line : block.split("\n")) {
            int comment = line.indexOf('#');
            String code = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (code.isEmpty()) {
                continue;
            }
            if (line.startsWith(" ") && !expressions.isEmpty()) {
                expressions.set(expressions.size() - 1, expressions.get(expressions.size() - 1) + " " + code);
            } else {
                expressions.add(code);
            }
        }
        return expressions;
    }
}
