package io.hubbletopology.api.flows;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.flowfilter.FlowFilterMatcher;
import io.hubbletopology.flowfilter.HubbleFlows;
import io.hubbletopology.graph.EdgeKey;
import io.hubbletopology.graph.EndpointNames;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.records.FlowRecord;

/**
 * Which flows an operator asks for: {@code hubble observe}'s filter flags ({@link HubbleFlags}: verdict, namespace,
 * pod, ip, label, fqdn, port, protocol, ... and {@code not}), through the one Hubble filter engine; plus our own
 * drop reason numbers, workload (either end), node (exact), reply, and {@code src}/{@code dst} node ids (as the
 * topology names them) to list the flows behind one edge. Values within one parameter are ORed
 * (comma-separated), parameters are ANDed.
 */
public record FlowFilter(Set<Verdict> verdicts, Set<Integer> dropReasons, Set<String> namespaces, Set<String> podPrefixes,
                         Set<String> workloads, Set<String> nodes, Set<String> protocols, Set<Integer> ports, Boolean reply,
                         String src, String dst, FlowFilterMatcher hubble) implements java.util.function.Predicate<FlowRecord> {

    public static final FlowFilter ALL = new FlowFilter(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
            Set.of(), null, null, null, FlowFilterMatcher.ALL);

    /** Reads the filter from query parameters; a bad one is a {@link BadParameterException} naming it. */
    public static FlowFilter parse(java.util.function.Function<String, String> param) {
        // verdict, namespace, pod, protocol and port mean what hubble observe's flags mean: the engine takes them.
        FlowFilterMatcher hubble = HubbleFlags.parse(param);
        Set<Integer> reasons = split(param.apply("drop_reason")).stream().map(FlowFilter::parseDropReason).collect(Collectors.toSet());
        String reply = param.apply("reply");
        Boolean replyValue = null;
        if (reply != null && !reply.isBlank()) {
            replyValue = switch (reply.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new BadParameterException("reply", "'" + reply + "' is not true or false");
            };
        }
        return new FlowFilter(Set.of(), reasons, Set.of(), Set.of(), split(param.apply("workload")), split(param.apply("node")),
                Set.of(), Set.of(), replyValue, blankToNull(param.apply("src")), blankToNull(param.apply("dst")), hubble);
    }

    private static int parseDropReason(String r) {
        try {
            return Integer.parseInt(r);
        } catch (NumberFormatException notANumber) {
            try {
                DropReason reason = DropReason.valueOf(r.toUpperCase(Locale.ROOT));
                if (reason == DropReason.UNRECOGNIZED) {
                    throw new IllegalArgumentException();
                }
                return reason.getNumber();
            } catch (IllegalArgumentException e) {
                throw new BadParameterException("drop_reason", "'" + r + "' is not a drop reason name (e.g. POLICY_DENIED) or number");
            }
        }
    }

    private static Set<String> split(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public boolean test(FlowRecord f) {
        return matches(f);
    }

    public boolean matches(FlowRecord f) {
        if (!verdicts.isEmpty() && !verdicts.contains(f.getVerdict())) {
            return false;
        }
        if (!dropReasons.isEmpty() && !dropReasons.contains(f.getDropReasonValue())) {
            return false;
        }
        if (!namespaces.isEmpty() && !namespaces.contains(f.getSource().getNamespace())
                && !namespaces.contains(f.getDestination().getNamespace())) {
            return false;
        }
        if (!podPrefixes.isEmpty() && !podMatch(f)) {
            return false;
        }
        if (!nodes.isEmpty() && !nodes.contains(f.getNodeName())) {
            return false;
        }
        if (!protocols.isEmpty() && !protocols.contains(f.getProtocol().name())) {
            return false;
        }
        if (!ports.isEmpty() && !ports.contains(f.getDestinationPort())) {
            return false;
        }
        if (reply != null && EdgeKey.isReply(f) != reply) {
            return false;
        }
        if (!workloads.isEmpty() && !workloadMatch(f)) {
            return false;
        }
        if (src != null && !src.equals(EndpointNames.of(f.getSource()).id())) {
            return false;
        }
        if (dst != null && !dst.equals(EndpointNames.of(f.getDestination()).id())) {
            return false;
        }
        return hubble.all() || hubble.test(HubbleFlows.of(f));
    }

    private boolean podMatch(FlowRecord f) {
        String source = f.getSource().getNamespace() + "/" + f.getSource().getPod();
        String destination = f.getDestination().getNamespace() + "/" + f.getDestination().getPod();
        return podPrefixes.stream().anyMatch(p -> (!f.getSource().getPod().isEmpty() && source.startsWith(p))
                || (!f.getDestination().getPod().isEmpty() && destination.startsWith(p)));
    }

    private boolean workloadMatch(FlowRecord f) {
        String source = EndpointNames.of(f.getSource()).name();
        String destination = EndpointNames.of(f.getDestination()).name();
        // "cart" matches deployment/cart; "deployment/cart" matches exactly.
        return workloads.stream().anyMatch(w -> w.equals(source) || w.equals(destination)
                || source.endsWith("/" + w) || destination.endsWith("/" + w));
    }
}
