package io.hubbletopology.flowfilter;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import com.google.protobuf.Descriptors.FieldDescriptor;

import io.hubbletopology.hubble.flow.Endpoint;
import io.hubbletopology.hubble.flow.EventTypeFilter;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.flow.Layer4;
import io.hubbletopology.hubble.flow.Service;
import io.hubbletopology.hubble.flow.TCPFlags;
import io.hubbletopology.hubble.flow.Workload;

/**
 * One {@link FlowFilter}, compiled once per request: a check per field set (all must pass), each passing when
 * any of its values matches. Walks the filter's set fields by descriptor, so a field this class does not know
 * (a newer client's, or one we declared but forgot) is refused rather than silently ignored.
 */
final class CompiledFlowFilter implements Predicate<Flow> {

    private final List<Predicate<Flow>> checks;

    private CompiledFlowFilter(List<Predicate<Flow>> checks) {
        this.checks = checks;
    }

    static CompiledFlowFilter of(FlowFilter filter) {
        if (!filter.getUnknownFields().asMap().isEmpty()) {
            throw new InvalidFilterException("FlowFilter", "field number(s) " + filter.getUnknownFields().asMap().keySet()
                    + " are not supported by this server");
        }
        List<Predicate<Flow>> checks = new ArrayList<>();
        for (Map.Entry<FieldDescriptor, Object> e : filter.getAllFields().entrySet()) {
            checks.add(check(filter, e.getKey()));
        }
        return new CompiledFlowFilter(List.copyOf(checks));
    }

    @Override
    public boolean test(Flow flow) {
        for (Predicate<Flow> c : checks) {
            if (!c.test(flow)) {
                return false;
            }
        }
        return true;
    }

    private static Predicate<Flow> check(FlowFilter f, FieldDescriptor field) {
        String name = field.getName();
        return switch (field.getNumber()) {
            case FlowFilter.UUID_FIELD_NUMBER -> in(Set.copyOf(f.getUuidList()), Flow::getUuid);
            case FlowFilter.SOURCE_IP_FIELD_NUMBER -> ip(name, f.getSourceIpList(), flow -> flow.getIP().getSource());
            case FlowFilter.DESTINATION_IP_FIELD_NUMBER -> ip(name, f.getDestinationIpList(), flow -> flow.getIP().getDestination());
            case FlowFilter.SOURCE_POD_FIELD_NUMBER -> pod(name, f.getSourcePodList(), Flow::getSource);
            case FlowFilter.DESTINATION_POD_FIELD_NUMBER -> pod(name, f.getDestinationPodList(), Flow::getDestination);
            case FlowFilter.SOURCE_FQDN_FIELD_NUMBER -> fqdn(name, f.getSourceFqdnList(), Flow::getSourceNamesList);
            case FlowFilter.DESTINATION_FQDN_FIELD_NUMBER -> fqdn(name, f.getDestinationFqdnList(), Flow::getDestinationNamesList);
            case FlowFilter.SOURCE_LABEL_FIELD_NUMBER -> labels(name, f.getSourceLabelList(), Flow::getSource);
            case FlowFilter.DESTINATION_LABEL_FIELD_NUMBER -> labels(name, f.getDestinationLabelList(), Flow::getDestination);
            case FlowFilter.SOURCE_SERVICE_FIELD_NUMBER -> service(name, f.getSourceServiceList(), Flow::getSourceService);
            case FlowFilter.DESTINATION_SERVICE_FIELD_NUMBER -> service(name, f.getDestinationServiceList(), Flow::getDestinationService);
            case FlowFilter.SOURCE_WORKLOAD_FIELD_NUMBER -> workload(f.getSourceWorkloadList(), Flow::getSource);
            case FlowFilter.DESTINATION_WORKLOAD_FIELD_NUMBER -> workload(f.getDestinationWorkloadList(), Flow::getDestination);
            case FlowFilter.SOURCE_IDENTITY_FIELD_NUMBER -> in(Set.copyOf(f.getSourceIdentityList()), flow -> flow.getSource().getIdentity());
            case FlowFilter.DESTINATION_IDENTITY_FIELD_NUMBER ->
                    in(Set.copyOf(f.getDestinationIdentityList()), flow -> flow.getDestination().getIdentity());
            case FlowFilter.TRAFFIC_DIRECTION_FIELD_NUMBER ->
                    in(Set.copyOf(f.getTrafficDirectionValueList()), Flow::getTrafficDirectionValue);
            case FlowFilter.VERDICT_FIELD_NUMBER -> in(Set.copyOf(f.getVerdictValueList()), Flow::getVerdictValue);
            case FlowFilter.DROP_REASON_DESC_FIELD_NUMBER -> in(Set.copyOf(f.getDropReasonDescValueList()), CompiledFlowFilter::dropReason);
            case FlowFilter.EVENT_TYPE_FIELD_NUMBER -> eventType(f.getEventTypeList());
            case FlowFilter.HTTP_STATUS_CODE_FIELD_NUMBER -> httpStatus(name, f.getHttpStatusCodeList());
            case FlowFilter.HTTP_METHOD_FIELD_NUMBER -> httpMethod(f.getHttpMethodList());
            case FlowFilter.HTTP_PATH_FIELD_NUMBER -> httpPath(name, f.getHttpPathList());
            case FlowFilter.PROTOCOL_FIELD_NUMBER -> protocol(name, f.getProtocolList());
            case FlowFilter.SOURCE_PORT_FIELD_NUMBER -> port(name, f.getSourcePortList(), true);
            case FlowFilter.DESTINATION_PORT_FIELD_NUMBER -> port(name, f.getDestinationPortList(), false);
            case FlowFilter.REPLY_FIELD_NUMBER -> reply(f.getReplyList());
            case FlowFilter.DNS_QUERY_FIELD_NUMBER -> dnsQuery(name, f.getDnsQueryList());
            case FlowFilter.TCP_FLAGS_FIELD_NUMBER -> tcpFlags(f.getTcpFlagsList());
            case FlowFilter.NODE_NAME_FIELD_NUMBER -> nodeName(name, f.getNodeNameList());
            case FlowFilter.IP_VERSION_FIELD_NUMBER -> in(Set.copyOf(f.getIpVersionValueList()), flow -> flow.getIP().getIpVersionValue());
            case FlowFilter.TRACE_ID_FIELD_NUMBER ->
                    in(Set.copyOf(f.getTraceIdList()), flow -> flow.getTraceContext().getParent().getTraceId());
            default -> throw new InvalidFilterException(name, "this filter field is not supported by this server");
        };
    }

    private static <T> Predicate<Flow> in(Set<T> wanted, Function<Flow, T> value) {
        return flow -> wanted.contains(value.apply(flow));
    }

    /** drop_reason_desc, else the number older agents put in the deprecated drop_reason. */
    private static int dropReason(Flow flow) {
        return flow.getDropReasonDescValue() != 0 ? flow.getDropReasonDescValue() : flow.getDropReason();
    }

    private static Predicate<Flow> ip(String field, List<String> values, Function<Flow, String> ip) {
        List<AddressMatch> matches = values.stream().map(v -> AddressMatch.parse(field, v)).toList();
        return flow -> {
            String address = ip.apply(flow);
            return matches.stream().anyMatch(m -> m.matches(address));
        };
    }

    /** "namespace/pod-prefix"; "namespace/" is the whole namespace; without a '/', the prefix in any namespace. */
    private static Predicate<Flow> pod(String field, List<String> values, Function<Flow, Endpoint> end) {
        List<String[]> parsed = values.stream().map(v -> namespaced(field, v)).toList();
        return flow -> {
            Endpoint e = end.apply(flow);
            return parsed.stream().anyMatch(p -> namespacedMatch(p, e.getNamespace(), e.getPodName()));
        };
    }

    private static Predicate<Flow> service(String field, List<String> values, Function<Flow, Service> end) {
        List<String[]> parsed = values.stream().map(v -> namespaced(field, v)).toList();
        return flow -> {
            Service s = end.apply(flow);
            return parsed.stream().anyMatch(p -> namespacedMatch(p, s.getNamespace(), s.getName()));
        };
    }

    private static String[] namespaced(String field, String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new InvalidFilterException(field, "an empty name matches nothing");
        }
        int slash = v.indexOf('/');
        return slash < 0 ? new String[] {null, v} : new String[] {v.substring(0, slash), v.substring(slash + 1)};
    }

    private static boolean namespacedMatch(String[] pattern, String namespace, String name) {
        String ns = pattern[0];
        String prefix = pattern[1];
        if (ns != null && !ns.isEmpty()) {
            return namespace.equals(ns) && (prefix.isEmpty() ? !namespace.isEmpty() : !name.isEmpty() && name.startsWith(prefix));
        }
        // A name without a namespace (world, host) never matches a name filter.
        return !name.isEmpty() && name.startsWith(prefix);
    }

    private static Predicate<Flow> fqdn(String field, List<String> values, Function<Flow, List<String>> names) {
        List<NamePattern> patterns = values.stream().map(v -> NamePattern.fqdn(field, v)).toList();
        return flow -> names.apply(flow).stream().anyMatch(n -> patterns.stream().anyMatch(p -> p.matchesFqdn(n)));
    }

    private static Predicate<Flow> labels(String field, List<String> values, Function<Flow, Endpoint> end) {
        List<LabelSelector> selectors = values.stream().map(v -> LabelSelector.parse(field, v)).toList();
        return flow -> {
            List<String> labels = end.apply(flow).getLabelsList();
            return selectors.stream().anyMatch(s -> s.matches(labels));
        };
    }

    /** A filter workload matches when its set parts (name, kind) equal one of the endpoint's workloads. */
    private static Predicate<Flow> workload(List<Workload> wanted, Function<Flow, Endpoint> end) {
        return flow -> end.apply(flow).getWorkloadsList().stream().anyMatch(w -> wanted.stream().anyMatch(x ->
                (x.getName().isEmpty() || x.getName().equals(w.getName()))
                        && (x.getKind().isEmpty() || x.getKind().equalsIgnoreCase(w.getKind()))));
    }

    private static Predicate<Flow> eventType(List<EventTypeFilter> wanted) {
        return flow -> flow.hasEventType() && wanted.stream().anyMatch(w -> w.getType() == flow.getEventType().getType()
                && (!w.getMatchSubType() || w.getSubType() == flow.getEventType().getSubType()));
    }

    /** "404" exactly, "4+" any 4xx, "40+" 400..409, as hubble observe --http-status takes them. */
    private static Predicate<Flow> httpStatus(String field, List<String> values) {
        List<Predicate<Integer>> codes = new ArrayList<>();
        for (String v : values) {
            String t = v.trim();
            if (!t.matches("[1-5]\\d{0,2}\\+|[1-5]\\d\\d")) {
                throw new InvalidFilterException(field, "'" + v + "' is not a status code (404) or class (4+, 40+)");
            }
            if (t.endsWith("+")) {
                String prefix = t.substring(0, t.length() - 1);
                codes.add(code -> String.valueOf(code).startsWith(prefix));
            } else {
                int exact = Integer.parseInt(t);
                codes.add(code -> code == exact);
            }
        }
        return flow -> flow.getL7().hasHttp() && flow.getL7().getHttp().getCode() != 0
                && codes.stream().anyMatch(c -> c.test(flow.getL7().getHttp().getCode()));
    }

    private static Predicate<Flow> httpMethod(List<String> values) {
        Set<String> methods = values.stream().map(v -> v.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        return flow -> flow.getL7().hasHttp() && methods.contains(flow.getL7().getHttp().getMethod().toUpperCase(Locale.ROOT));
    }

    private static Predicate<Flow> httpPath(String field, List<String> values) {
        List<Pattern> patterns = values.stream().map(v -> regex(field, v)).toList();
        return flow -> {
            if (!flow.getL7().hasHttp()) {
                return false;
            }
            String path = path(flow.getL7().getHttp().getUrl());
            return patterns.stream().anyMatch(p -> p.matcher(path).find());
        };
    }

    private static String path(String url) {
        try {
            String p = URI.create(url).getRawPath();
            return p == null ? "" : p;
        } catch (IllegalArgumentException e) {
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q);
        }
    }

    private static Predicate<Flow> dnsQuery(String field, List<String> values) {
        List<Pattern> patterns = values.stream().map(v -> regex(field, v)).toList();
        return flow -> flow.getL7().hasDns() && patterns.stream().anyMatch(p -> p.matcher(flow.getL7().getDns().getQuery()).find());
    }

    private static Pattern regex(String field, String value) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new InvalidFilterException(field, "'" + value + "' is not a regular expression: " + e.getDescription());
        }
    }

    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp", "icmp", "icmpv4", "icmpv6", "http", "dns", "kafka");

    /** L4 (tcp, udp, sctp, icmp = either ICMP, icmpv4, icmpv6) or L7 (http, dns, kafka) names, case-insensitive. */
    private static Predicate<Flow> protocol(String field, List<String> values) {
        Set<String> wanted = new java.util.HashSet<>();
        for (String v : values) {
            String p = v.trim().toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(p)) {
                throw new InvalidFilterException(field, "'" + v + "' is not one of " + new java.util.TreeSet<>(PROTOCOLS));
            }
            wanted.add(p);
        }
        return flow -> {
            Layer4 l4 = flow.getL4();
            return switch (l4.getProtocolCase()) {
                case TCP -> wanted.contains("tcp");
                case UDP -> wanted.contains("udp");
                case SCTP -> wanted.contains("sctp");
                case ICMPV4 -> wanted.contains("icmp") || wanted.contains("icmpv4");
                case ICMPV6 -> wanted.contains("icmp") || wanted.contains("icmpv6");
                default -> false;
            } || (flow.getL7().hasHttp() && wanted.contains("http")) || (flow.getL7().hasDns() && wanted.contains("dns"));
        };
    }

    private static Predicate<Flow> port(String field, List<String> values, boolean source) {
        Set<Integer> ports = new java.util.HashSet<>();
        for (String v : values) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n < 0 || n > 65535) {
                    throw new NumberFormatException();
                }
                ports.add(n);
            } catch (NumberFormatException e) {
                throw new InvalidFilterException(field, "'" + v + "' is not a port number (0..65535)");
            }
        }
        return flow -> {
            Layer4 l4 = flow.getL4();
            Integer port = switch (l4.getProtocolCase()) {
                case TCP -> source ? l4.getTCP().getSourcePort() : l4.getTCP().getDestinationPort();
                case UDP -> source ? l4.getUDP().getSourcePort() : l4.getUDP().getDestinationPort();
                case SCTP -> source ? l4.getSCTP().getSourcePort() : l4.getSCTP().getDestinationPort();
                default -> null;
            };
            return port != null && ports.contains(port);
        };
    }

    /**
     * is_reply when the agent said, else the deprecated reply older agents send (false when absent too): as the
     * simulated Hubble and replay always judged it, so that reply=false keeps flows whose direction is unknown.
     */
    private static Predicate<Flow> reply(List<Boolean> values) {
        Set<Boolean> wanted = Set.copyOf(values);
        return flow -> wanted.contains(flow.hasIsReply() ? flow.getIsReply().getValue() : flow.getReply());
    }

    /** A flow matches one entry when every flag set in it is set on the flow's TCP header. */
    private static Predicate<Flow> tcpFlags(List<TCPFlags> wanted) {
        return flow -> {
            if (!flow.getL4().hasTCP()) {
                return false;
            }
            int have = bits(flow.getL4().getTCP().getFlags());
            return wanted.stream().anyMatch(w -> (bits(w) & have) == bits(w));
        };
    }

    private static int bits(TCPFlags f) {
        int b = 0;
        for (Map.Entry<FieldDescriptor, Object> e : f.getAllFields().entrySet()) {
            if (Boolean.TRUE.equals(e.getValue())) {
                b |= 1 << e.getKey().getNumber();
            }
        }
        return b;
    }

    private static Predicate<Flow> nodeName(String field, List<String> values) {
        List<NamePattern> patterns = values.stream().map(v -> NamePattern.node(field, v)).toList();
        return flow -> patterns.stream().anyMatch(p -> p.matches(flow.getNodeName()));
    }
}
