package io.hubbletopology.api.live;

import java.util.Locale;
import java.util.Set;

import io.hubbletopology.processor.errors.BadParameterException;


/**
 * What a live client asked to see, from the same query parameters as the REST API: {@code namespace},
 * {@code verdict}, {@code protocol} (each comma-separated, any may match) and {@code min_flows}. Link states
 * are always sent: they belong to no namespace; so is what the feed says about itself.
 */
public record FeedFilter(Set<String> namespaces, Set<String> verdicts, Set<String> protocols, long minFlows)
        implements java.util.function.Predicate<FeedUpdate> {

    public static final FeedFilter ALL = new FeedFilter(Set.of(), Set.of(), Set.of(), 0);
    private static final Set<String> VERDICTS = Set.of("forwarded", "dropped", "error", "audit", "redirected", "traced", "translated");

    /** @throws BadParameterException naming the parameter that is wrong */
    public static FeedFilter parse(String namespace, String verdict, String protocol, String minFlows) {
        Set<String> verdicts = split(verdict, false);
        for (String v : verdicts) {
            if (!VERDICTS.contains(v)) {
                throw new BadParameterException("verdict", "'" + v + "' is not one of " + VERDICTS);
            }
        }
        long min = 0;
        if (minFlows != null && !minFlows.isBlank()) {
            try {
                min = Long.parseLong(minFlows.trim());
            } catch (NumberFormatException e) {
                throw new BadParameterException("min_flows", "'" + minFlows + "' is not a whole number");
            }
            if (min < 0) {
                throw new BadParameterException("min_flows", "must not be negative");
            }
        }
        return new FeedFilter(split(namespace, true), verdicts, split(protocol, false), min);
    }

    private static Set<String> split(String value, boolean keepCase) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        // Not Set.of(array): it refuses duplicates, and "dropped,dropped" is a fine thing to ask for.
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> keepCase ? s : s.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public boolean test(FeedUpdate update) {
        return matches(update);
    }

    public boolean matches(FeedUpdate update) {
        if (update.kind() == FeedUpdate.Kind.LINK || update.kind() == FeedUpdate.Kind.STATUS) {
            return true;
        }
        if (!namespaces.isEmpty() && update.namespaces().stream().noneMatch(namespaces::contains)) {
            return false;
        }
        if (!verdicts.isEmpty() && update.verdicts().stream().noneMatch(verdicts::contains)) {
            return false;
        }
        if (!protocols.isEmpty() && !protocols.contains(update.protocol().toLowerCase(Locale.ROOT))) {
            return false;
        }
        return update.flows() >= minFlows;
    }
}
