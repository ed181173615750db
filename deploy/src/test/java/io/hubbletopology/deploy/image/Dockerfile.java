package io.hubbletopology.deploy.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The instructions of a Dockerfile, continuation lines joined and comments left out. */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    static Dockerfile read(Path path) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(path)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                int space = text.indexOf(' ');
                out.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
            }
        }
        return new Dockerfile(out);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction of a kind, the one that takes effect (FROM: the final stage). */
    Optional<String> last(String keyword) {
        List<Instruction> found = all(keyword);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1).arguments());
    }

    /** An exec-form (JSON array) ENTRYPOINT or CMD; shell form would put a shell between the JVM and signals. */
    static List<String> execForm(String arguments) throws IOException {
        return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
    }
}
