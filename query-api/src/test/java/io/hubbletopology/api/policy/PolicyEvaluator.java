package io.hubbletopology.api.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.hubble.flow.L7FlowType;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.HttpRecord;
import io.hubbletopology.records.FlowRecord;

/**
 * Decides, the way Cilium reads CiliumNetworkPolicies, whether a flow would pass a set of policies: at the source's
 * egress and at the destination's ingress. It reads the policies as the YAML says (not the builder's model) and the
 * endpoints as the flow says (Hubble's labels, identity, DNS names), so it checks the suggestion against what was
 * seen. The semantics it follows, from Cilium's policy language:
 * <ul>
 *   <li>a namespaced policy selects only pods of its namespace; a direction is enforced for a pod when a policy
 *       selecting it has rules in that direction or enables default deny for it; else everything passes;</li>
 *   <li>an enforced direction passes a flow when one rule matches both its peer and its port;</li>
 *   <li>from/toEndpoints selectors without a namespace label select pods of the policy's namespace; a key without a
 *       source ({@code app}) matches any source's label;</li>
 *   <li>entities: world is everything outside the cluster; toFQDNs matches the DNS names Hubble gave the peer;</li>
 *   <li>a rule with no peer and no ports ({@code {}}) matches nothing; toPorts absent means every port;</li>
 *   <li>a PortRule with {@code rules.http} sends the port through the proxy: the connection passes, and an HTTP request
 *       passes only when one HTTP rule's method and path (regexes, matched whole, the path against the request's path
 *       and query as the proxy sees them) both match it.</li>
 * </ul>
 */
final class PolicyEvaluator {

    private static final String[] RESERVED = {null, "host", "world", "unmanaged", "health", "init", "remote-node",
        "kube-apiserver", "ingress"};

    private final List<JsonNode> policies;

    PolicyEvaluator(List<JsonNode> policies) {
        this.policies = List.copyOf(policies);
    }

    boolean allows(FlowRecord flow) {
        return egressAllows(flow) && ingressAllows(flow);
    }

    boolean egressAllows(FlowRecord flow) {
        return passes(flow.getSource(), flow.getDestination(), flow, "egress", "toEndpoints", "toEntities");
    }

    boolean ingressAllows(FlowRecord flow) {
        return passes(flow.getDestination(), flow.getSource(), flow, "ingress", "fromEndpoints", "fromEntities");
    }

    private boolean passes(EndpointRef subject, EndpointRef peer, FlowRecord flow, String direction, String endpointsField,
                           String entitiesField) {
        if (subject.getPod().isEmpty()) {
            return true;
        }
        boolean enforced = false;
        for (JsonNode policy : policies) {
            String namespace = policy.path("metadata").path("namespace").asText();
            JsonNode spec = policy.path("spec");
            if (!namespace.equals(subject.getNamespace()) || !selects(spec.path("endpointSelector"), subject, namespace)) {
                continue;
            }
            enforced |= spec.path(direction).size() > 0 || spec.path("enableDefaultDeny").path(direction).asBoolean(false);
            for (JsonNode rule : spec.path(direction)) {
                if (peerMatches(rule, peer, namespace, endpointsField, entitiesField) && portMatches(rule, flow)) {
                    return true;
                }
            }
        }
        return !enforced;
    }

    private static boolean peerMatches(JsonNode rule, EndpointRef peer, String namespace, String endpointsField, String entitiesField) {
        for (JsonNode selector : rule.path(endpointsField)) {
            if (!peer.getPod().isEmpty() && selects(selector, peer, namespace)) {
                return true;
            }
        }
        for (JsonNode entity : rule.path(entitiesField)) {
            if (entityOf(peer, entity.asText())) {
                return true;
            }
        }
        for (JsonNode fqdn : rule.path("toFQDNs")) {
            String name = fqdn.path("matchName").asText().replaceAll("\\.$", "");
            if (peer.getPod().isEmpty() && peer.getDnsNamesList().stream().anyMatch(n -> n.replaceAll("\\.$", "").equalsIgnoreCase(name))) {
                return true;
            }
        }
        // No peer field, but ports: Cilium reads a missing peer as every peer.
        boolean anyPeer = rule.has(endpointsField) || rule.has(entitiesField) || rule.has("toFQDNs") || rule.has("toCIDR")
                || rule.has("fromCIDR");
        return !anyPeer && rule.has("toPorts");
    }

    private static boolean entityOf(EndpointRef peer, String entity) {
        String reserved = reserved(peer);
        boolean world = peer.getPod().isEmpty() && (reserved == null || reserved.startsWith("world"));
        return switch (entity) {
            case "all" -> true;
            case "world" -> world;
            case "cluster" -> !world;
            default -> entity.equals(reserved);
        };
    }

    private static String reserved(EndpointRef peer) {
        if (peer.getIdentity() > 0 && peer.getIdentity() < RESERVED.length) {
            return RESERVED[peer.getIdentity()];
        }
        for (String label : peer.getLabelsList()) {
            if (label.startsWith("reserved:")) {
                return label.substring("reserved:".length());
            }
        }
        return null;
    }

    private static boolean portMatches(JsonNode rule, FlowRecord flow) {
        if (!rule.has("toPorts")) {
            return true;
        }
        for (JsonNode portRule : rule.path("toPorts")) {
            for (JsonNode port : portRule.path("ports")) {
                String protocol = port.path("protocol").asText("ANY");
                boolean protocolMatches = protocol.equals("ANY") || protocol.equals(flow.getProtocol().name());
                if (protocolMatches && port.path("port").asText().equals(String.valueOf(flow.getDestinationPort()))
                        && httpMatches(portRule.path("rules").path("http"), flow)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** No HTTP rules, or a flow that is no HTTP request, passes; an HTTP request must match one rule's method and path. */
    private static boolean httpMatches(JsonNode rules, FlowRecord flow) {
        if (rules.isEmpty() || !flow.getL7().hasHttp() || flow.getL7().getType() == L7FlowType.RESPONSE
                || flow.getL7().getHttp().getCode() != 0) {
            return true;
        }
        HttpRecord http = flow.getL7().getHttp();
        String pathAndQuery = pathAndQuery(http.getUrl());
        for (JsonNode rule : rules) {
            boolean method = !rule.has("method") || Pattern.matches(rule.path("method").asText(), http.getMethod());
            boolean path = !rule.has("path") || Pattern.matches(rule.path("path").asText(), pathAndQuery);
            if (method && path) {
                return true;
            }
        }
        return false;
    }

    /** What the proxy matches a rule's path against: the URL without scheme, authority and fragment. */
    private static String pathAndQuery(String url) {
        String s = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int slash = s.indexOf('/', scheme + 3);
            int query = s.indexOf('?', scheme + 3);
            int start = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
            s = start < 0 ? "/" : s.charAt(start) == '?' ? "/" + s.substring(start) : s.substring(start);
        }
        return s;
    }

    /** Whether a selector's matchLabels all hold for the endpoint; without a namespace key, the policy's namespace. */
    private static boolean selects(JsonNode selector, EndpointRef endpoint, String policyNamespace) {
        Map<String, String> labels = labels(endpoint);
        JsonNode match = selector.path("matchLabels");
        if (!match.has(SelectorLabels.NAMESPACE) && !endpoint.getNamespace().equals(policyNamespace)) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> it = match.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            String key = m.getKey();
            List<String> values = new ArrayList<>();
            if (key.contains(":")) {
                values.add(labels.get(key));
            } else {
                labels.forEach((k, v) -> {
                    if (k.substring(k.indexOf(':') + 1).equals(key)) {
                        values.add(v);
                    }
                });
            }
            if (!values.contains(m.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** The endpoint's labels as {@code source:key -> value}, with the namespace label Cilium gives every pod. */
    private static Map<String, String> labels(EndpointRef endpoint) {
        Map<String, String> labels = new HashMap<>();
        for (String label : endpoint.getLabelsList()) {
            int eq = label.indexOf('=');
            String key = eq < 0 ? label : label.substring(0, eq);
            labels.put(key.contains(":") ? key : "any:" + key, eq < 0 ? "" : label.substring(eq + 1));
        }
        if (!endpoint.getNamespace().isEmpty()) {
            labels.put(SelectorLabels.NAMESPACE, endpoint.getNamespace());
        }
        return labels;
    }
}
