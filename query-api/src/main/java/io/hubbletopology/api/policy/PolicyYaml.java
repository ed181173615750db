package io.hubbletopology.api.policy;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Writes suggested policies as one YAML stream that {@code kubectl apply -f} reads: the answer's notes as
 * comments first, then per policy a {@code ---} line, its notes as comments, and the object. Jackson writes the
 * objects (quoting what YAML would read as another type, such as the port {@code "53"}); the comments are ours,
 * written one line per note with control characters replaced, so a name seen on the wire cannot end a comment
 * and start YAML of its own.
 */
public final class PolicyYaml {

    /** The line that separates documents: what a reader splits the stream on. */
    public static final String DOCUMENT_START = "---";

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private PolicyYaml() {
    }

    public static String write(PolicySet set) {
        StringBuilder out = new StringBuilder();
        comments(out, set.notes());
        for (PolicySuggestion suggestion : set.policies()) {
            out.append(DOCUMENT_START).append('\n');
            comments(out, suggestion.notes());
            out.append(object(suggestion.policy()));
        }
        return out.toString();
    }

    /** One policy as YAML, without comments. */
    static String object(CiliumNetworkPolicy policy) {
        try {
            return YAML.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy that cannot be written as YAML", e);
        }
    }

    private static void comments(StringBuilder out, List<String> notes) {
        for (String note : notes) {
            out.append("# ").append(safe(note)).append('\n');
        }
    }

    /** The note on one comment line: line breaks (YAML's and Unicode's) and other controls become '?'. */
    static String safe(String note) {
        StringBuilder s = new StringBuilder(note.length());
        note.codePoints().forEach(c -> s.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ? '?' : c));
        return s.toString();
    }
}
