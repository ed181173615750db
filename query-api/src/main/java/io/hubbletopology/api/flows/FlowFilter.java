package io.hubbletopology.api.flows;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.hubbletopology.api.BadParameterException;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.Verdict;
import io.hubbletopology.model.EdgeKeys;
import io.hubbletopology.model.EndpointNames;
import io.hubbletopology.records.FlowRecord;

/**
 * Which flows an operator asks for, with the filters Hubble users know: verdict, drop reason, namespace, pod
 * (prefix, {@code ns/pod}), workload (either end), node, protocol, destination port, reply; plus {@code src} and
 * {@code dst} node ids (as the topology names them) to list the flows behind one edge. Values within one
 * parameter are ORed (comma-separated), parameters are ANDed.
 */
public record FlowFilter(Set<Verdict> verdicts, Set<Integer> dropReasons, Set<String> namespaces, Set<String> podPrefixes,
                         Set<String> workloads, Set<String> nodes, Set<String> protocols, Set<Integer> ports, Boolean reply,
                         String src, String dst) implements java.util.function.Predicate<FlowRecord> {

    public static final FlowFilter ALL = new FlowFilter(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(),
            Set.of(), null, null, null);

    /** Reads the filter from query parameters; a bad one is a {@link BadParameterException} naming it. */
    public static FlowFilter parse(java.util.function.Function<String, String> param) {
        Set<Verdict> verdicts = split(param.apply("verdict")).stream().map(v -> parseVerdict(v)).collect(Collectors.toSet());
        Set<Integer> reasons = split(param.apply("drop_reason")).stream().map(FlowFilter::parseDropReason).collect(Collectors.toSet());
        Set<Integer> ports = split(param.apply("port")).stream().map(p -> {
            try {
                int n = Integer.parseInt(p);
                if (n < 0 || n > 65535) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new BadParameterException("port", "'" + p + "' is not a port number");
            }
        }).collect(Collectors.toSet());
        Set<String> protocols = split(param.apply("protocol")).stream().map(p -> p.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        for (String p : protocols) {
            if (!Set.of("TCP", "UDP", "SCTP", "ICMPV4", "ICMPV6").contains(p)) {
                throw new BadParameterException("protocol", "'" + p + "' is not one of TCP, UDP, SCTP, ICMPv4, ICMPv6");
            }
        }
        String reply = param.apply("reply");
        Boolean replyValue = null;
        if (reply != null && !reply.isBlank()) {
            replyValue = switch (reply.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new BadParameterException("reply", "'" + reply + "' is not true or false");
            };
        }
        return new FlowFilter(verdicts, reasons, split(param.apply("namespace")), split(param.apply("pod")),
                split(param.apply("workload")), split(param.apply("node")), protocols, ports, replyValue,
                blankToNull(param.apply("src")), blankToNull(param.apply("dst")));
    }

    private static Verdict parseVerdict(String v) {
        try {
            Verdict verdict = Verdict.valueOf(v.toUpperCase(Locale.ROOT));
            if (verdict == Verdict.UNRECOGNIZED) {
                throw new IllegalArgumentException();
            }
            return verdict;
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("verdict", "'" + v + "' is not a Hubble verdict (forwarded, dropped, error, audit, ...)");
        }
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
        if (reply != null && EdgeKeys.isReply(f) != reply) {
            return false;
        }
        if (!workloads.isEmpty() && !workloadMatch(f)) {
            return false;
        }
        if (src != null && !src.equals(EndpointNames.of(f.getSource()).id())) {
            return false;
        }
        return dst == null || dst.equals(EndpointNames.of(f.getDestination()).id());
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
