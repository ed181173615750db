package io.hubbletopology.api.flows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.hubbletopology.api.PercentEncoding;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.flowfilter.CiliumEventTypes;
import io.hubbletopology.flowfilter.FlowFilterMatcher;
import io.hubbletopology.flowfilter.InvalidFilterException;
import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.TrafficDirection;
import io.hubbletopology.hubble.flow.Verdict;
import io.javalin.http.Context;

/**
 * {@code hubble observe}'s filter flags as query parameters ({@code from-pod=shop/web}, {@code port=5432},
 * {@code not&verdict=dropped}), turned into FlowFilters the way the CLI does: one-sided flags are ANDed into
 * every filter, a flag for either end ({@code pod}, {@code namespace}, {@code ip}, {@code label}, {@code fqdn},
 * {@code identity}, {@code port}) doubles the filters into a source and a destination variant, and {@code not}
 * sends the next flag to the blacklist instead. Repeating a flag, or listing comma-separated values, ORs them
 * (label selectors and regular expressions take commas of their own, so they are only repeated).
 */
public final class HubbleFlags {

    /** The raw query string, asked of the parameter lookup under this name: {@code not} needs the order. */
    public static final String QUERY_STRING = "\u0000query";

    /** A request's parameters by name, and its raw query under {@link #QUERY_STRING}: what {@link #parse} reads. */
    public static Function<String, String> parameters(Context ctx) {
        return name -> QUERY_STRING.equals(name) ? ctx.queryString() : ctx.queryParam(name);
    }

    private record Flag(BiConsumer<FlowFilter.Builder, String> source, BiConsumer<FlowFilter.Builder, String> destination,
                        boolean commas) {
        boolean eitherEnd() {
            return destination != null;
        }
    }

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("pod", both((b, v) -> b.addSourcePod(pod(v)), (b, v) -> b.addDestinationPod(pod(v)))),
            Map.entry("from-pod", one((b, v) -> b.addSourcePod(pod(v)))),
            Map.entry("to-pod", one((b, v) -> b.addDestinationPod(pod(v)))),
            Map.entry("namespace", both((b, v) -> b.addSourcePod(v + "/"), (b, v) -> b.addDestinationPod(v + "/"))),
            Map.entry("from-namespace", one((b, v) -> b.addSourcePod(v + "/"))),
            Map.entry("to-namespace", one((b, v) -> b.addDestinationPod(v + "/"))),
            Map.entry("ip", both(FlowFilter.Builder::addSourceIp, FlowFilter.Builder::addDestinationIp)),
            Map.entry("from-ip", one(FlowFilter.Builder::addSourceIp)),
            Map.entry("to-ip", one(FlowFilter.Builder::addDestinationIp)),
            Map.entry("label", new Flag(FlowFilter.Builder::addSourceLabel, FlowFilter.Builder::addDestinationLabel, false)),
            Map.entry("from-label", new Flag(FlowFilter.Builder::addSourceLabel, null, false)),
            Map.entry("to-label", new Flag(FlowFilter.Builder::addDestinationLabel, null, false)),
            Map.entry("fqdn", both(FlowFilter.Builder::addSourceFqdn, FlowFilter.Builder::addDestinationFqdn)),
            Map.entry("from-fqdn", one(FlowFilter.Builder::addSourceFqdn)),
            Map.entry("to-fqdn", one(FlowFilter.Builder::addDestinationFqdn)),
            Map.entry("identity", both((b, v) -> b.addSourceIdentity(identity(v)), (b, v) -> b.addDestinationIdentity(identity(v)))),
            Map.entry("from-identity", one((b, v) -> b.addSourceIdentity(identity(v)))),
            Map.entry("to-identity", one((b, v) -> b.addDestinationIdentity(identity(v)))),
            Map.entry("port", both(FlowFilter.Builder::addSourcePort, FlowFilter.Builder::addDestinationPort)),
            Map.entry("from-port", one(FlowFilter.Builder::addSourcePort)),
            Map.entry("to-port", one(FlowFilter.Builder::addDestinationPort)),
            Map.entry("verdict", one((b, v) -> b.addVerdict(name(Verdict.class, "verdict", v)))),
            Map.entry("drop-reason-desc", one((b, v) -> b.addDropReasonDesc(name(DropReason.class, "drop-reason-desc", v)))),
            Map.entry("type", one((b, v) -> b.addEventType(CiliumEventTypes.filter(v)))),
            Map.entry("http-status", one(FlowFilter.Builder::addHttpStatusCode)),
            Map.entry("http-method", one(FlowFilter.Builder::addHttpMethod)),
            Map.entry("http-path", new Flag(FlowFilter.Builder::addHttpPath, null, false)),
            Map.entry("dns-query", new Flag(FlowFilter.Builder::addDnsQuery, null, false)),
            Map.entry("protocol", one(FlowFilter.Builder::addProtocol)),
            Map.entry("node-name", one(FlowFilter.Builder::addNodeName)),
            Map.entry("traffic-direction", one((b, v) -> b.addTrafficDirection(name(TrafficDirection.class, "traffic-direction", v)))),
            Map.entry("tcp-flags", one((b, v) -> b.addTcpFlags(tcpFlags(v)))));

    /** The parameter names, for the unknown-parameter check's description and the docs. */
    public static Set<String> names() {
        return new java.util.TreeSet<>(FLAGS.keySet());
    }

    private HubbleFlags() {
    }

    /** The flags among the parameters, in the order given (from the raw query when the lookup has it). */
    public static FlowFilterMatcher parse(Function<String, String> param) {
        List<String[]> ordered = ordered(param);
        List<List<FlowFilter.Builder>> lists = List.of(new ArrayList<>(List.of(FlowFilter.newBuilder())),
                new ArrayList<>(List.of(FlowFilter.newBuilder())));
        boolean[] used = {false, false};
        boolean negate = false;
        for (String[] p : ordered) {
            if (p[0].equals("not")) {
                negate = true;
                continue;
            }
            Flag flag = FLAGS.get(p[0]);
            if (flag == null || p[1] == null || p[1].isBlank()) {
                continue;
            }
            int list = negate ? 1 : 0;
            negate = false;
            used[list] = true;
            List<String> values = flag.commas()
                    ? Arrays.stream(p[1].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList() : List.of(p[1].trim());
            try {
                check(flag, values);
                apply(lists.get(list), flag, values);
            } catch (IllegalArgumentException e) {
                throw new BadParameterException(p[0], e.getMessage());
            }
        }
        if (negate) {
            throw new BadParameterException("not", "not must be followed by the filter it negates, e.g. not&verdict=dropped");
        }
        try {
            return FlowFilterMatcher.of(used[0] ? build(lists.get(0)) : List.of(), used[1] ? build(lists.get(1)) : List.of());
        } catch (InvalidFilterException e) {
            throw new BadParameterException(parameterOf(e.field()), e.getMessage());
        }
    }

    /** Compiles the flag's values alone, so that a bad one is named by the parameter it came in. */
    private static void check(Flag flag, List<String> values) {
        FlowFilter.Builder alone = FlowFilter.newBuilder();
        values.forEach(v -> flag.source().accept(alone, v));
        FlowFilterMatcher.of(List.of(alone.build()), List.of());
    }

    private static void apply(List<FlowFilter.Builder> filters, Flag flag, List<String> values) {
        if (!flag.eitherEnd()) {
            filters.forEach(b -> values.forEach(v -> flag.source().accept(b, v)));
            return;
        }
        List<FlowFilter.Builder> doubled = new ArrayList<>();
        for (FlowFilter.Builder b : filters) {
            FlowFilter.Builder src = b.clone();
            FlowFilter.Builder dst = b.clone();
            values.forEach(v -> flag.source().accept(src, v));
            values.forEach(v -> flag.destination().accept(dst, v));
            doubled.add(src);
            doubled.add(dst);
        }
        filters.clear();
        filters.addAll(doubled);
    }

    private static List<FlowFilter> build(List<FlowFilter.Builder> builders) {
        return builders.stream().map(FlowFilter.Builder::build).toList();
    }

    private static List<String[]> ordered(Function<String, String> param) {
        String raw = param.apply(QUERY_STRING);
        List<String[]> out = new ArrayList<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), null);
                out.add(new String[] {name, eq < 0 ? "" : decode(pair.substring(eq + 1), name)});
            }
            return out;
        }
        // No raw query (a programmatic caller): each flag once, in name order; "not" cannot be placed.
        for (String name : names()) {
            String v = param.apply(name);
            if (v != null) {
                out.add(new String[] {name, v});
            }
        }
        return out;
    }

    /** A name or value of the raw query; a bad one is refused naming its parameter (or, for a name, itself). */
    private static String decode(String s, String parameter) {
        try {
            return PercentEncoding.decode(s);
        } catch (IllegalArgumentException e) {
            String named = parameter != null ? parameter : s.length() > 64 ? s.substring(0, 64) : s;
            throw new BadParameterException(named, (parameter != null ? "its value" : "the name")
                    + " is not percent-encoded UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** The flag a FlowFilter field came from, for the error: "source_ip" was given as from-ip or ip. */
    private static String parameterOf(String field) {
        return field.replace("source_", "from-").replace("destination_", "to-").replace('_', '-');
    }

    private static Flag one(BiConsumer<FlowFilter.Builder, String> set) {
        return new Flag(set, null, true);
    }

    private static Flag both(BiConsumer<FlowFilter.Builder, String> source, BiConsumer<FlowFilter.Builder, String> destination) {
        return new Flag(source, destination, true);
    }

    /** As the CLI: a pod without a namespace is in "default". */
    private static String pod(String v) {
        return v.contains("/") ? v : "default/" + v;
    }

    private static int identity(String v) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || n > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a security identity (0..4294967295)");
        }
    }

    private static <E extends Enum<E>> E name(Class<E> type, String flag, String v) {
        try {
            E e = Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            if (e.name().equals("UNRECOGNIZED")) {
                throw new IllegalArgumentException();
            }
            return e;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + v + "' is not one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).filter(n -> !n.equals("UNRECOGNIZED")).limit(12).toList() + (type.getEnumConstants().length > 13 ? "..." : ""));
        }
    }

    private static TCPFlags tcpFlags(String v) {
        TCPFlags.Builder b = TCPFlags.newBuilder();
        for (String flag : v.split("[|+]")) {
            var field = TCPFlags.getDescriptor().findFieldByName(flag.trim().toUpperCase(Locale.ROOT));
            if (field == null) {
                throw new IllegalArgumentException("'" + v + "' is not TCP flags like SYN or SYN|ACK");
            }
            b.setField(field, true);
        }
        return b.build();
    }
}
