package io.hubbletopology.flowfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector ({@code app=web,tier!=db}, {@code env in (prod,staging)}, {@code !canary}) over
 * Cilium's labels ({@code k8s:app=web}, {@code reserved:world}). A key may name the label's source
 * ({@code k8s:app}); without one it matches that key from any source, as Hubble does.
 */
final class LabelSelector {

    private static final Pattern SET = Pattern.compile("\\s*(!?)\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
    private static final Pattern COMPARE = Pattern.compile("\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*");
    private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*([^\\s!=(),]+)\\s*");

    private record Label(String source, String key, String value) {
    }

    private record Requirement(String source, String key, Operator op, Set<String> values) {

        boolean matches(List<Label> labels) {
            boolean present = false;
            String value = null;
            for (Label l : labels) {
                if (l.key().equals(key) && (source == null || source.equals(l.source()))) {
                    present = true;
                    value = l.value();
                    if (op == Operator.IN || op == Operator.EQUALS) {
                        if (values.contains(value)) {
                            return true;
                        }
                    }
                }
            }
            return switch (op) {
                case EXISTS -> present;
                case NOT_EXISTS -> !present;
                case EQUALS, IN -> false;
                case NOT_EQUALS, NOT_IN -> !present || !values.contains(value);
            };
        }
    }

    private enum Operator { EXISTS, NOT_EXISTS, EQUALS, NOT_EQUALS, IN, NOT_IN }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    static LabelSelector parse(String field, String text) {
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitOutsideParentheses(text)) {
            requirements.add(requirement(field, text, part));
        }
        if (requirements.isEmpty()) {
            throw new InvalidFilterException(field, "an empty label selector");
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    boolean matches(List<String> ciliumLabels) {
        List<Label> labels = new ArrayList<>(ciliumLabels.size());
        for (String l : ciliumLabels) {
            labels.add(label(l));
        }
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    private static Label label(String text) {
        int eq = text.indexOf('=');
        String keyPart = eq < 0 ? text : text.substring(0, eq);
        String value = eq < 0 ? "" : text.substring(eq + 1);
        int colon = keyPart.indexOf(':');
        return colon < 0 ? new Label("", keyPart, value) : new Label(keyPart.substring(0, colon), keyPart.substring(colon + 1), value);
    }

    private static Requirement requirement(String field, String whole, String part) {
        Matcher m = SET.matcher(part);
        if (m.matches() && m.group(1).isEmpty()) {
            Set<String> values = Set.copyOf(List.of(m.group(4).trim().split("\\s*,\\s*")));
            return keyed(m.group(2), m.group(3).equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        m = COMPARE.matcher(part);
        if (m.matches()) {
            return keyed(m.group(1), m.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS, Set.of(m.group(3)));
        }
        m = EXISTS.matcher(part);
        if (m.matches()) {
            return keyed(m.group(2), m.group(1).isEmpty() ? Operator.EXISTS : Operator.NOT_EXISTS, Set.of());
        }
        throw new InvalidFilterException(field, "'" + whole + "' is not a label selector (app=web, env in (a,b), !canary)");
    }

    private static Requirement keyed(String key, Operator op, Set<String> values) {
        int colon = key.indexOf(':');
        return colon < 0 ? new Requirement(null, key, op, values)
                : new Requirement(key.substring(0, colon), key.substring(colon + 1), op, values);
    }

    private static List<String> splitOutsideParentheses(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts.stream().filter(p -> !p.isBlank()).toList();
    }
}
