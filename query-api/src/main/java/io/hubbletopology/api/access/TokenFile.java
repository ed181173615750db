package io.hubbletopology.api.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A file of bearer tokens, typically a mounted Kubernetes Secret: one token per line or comma-separated,
 * blank lines and surrounding whitespace ignored.
 */
public record TokenFile(Path path) {

    /** The file's tokens, read now; throws when the file cannot be read (missing, unreadable). */
    public List<String> read() throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8));
    }

    /** The file's tokens, or none when it cannot be read: for a start-up check that only asks "any token?". */
    public List<String> readOrNone() {
        try {
            return read();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static List<String> parse(String content) {
        return Arrays.stream(content.split("[,\\r\\n]")).map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
    }
}
