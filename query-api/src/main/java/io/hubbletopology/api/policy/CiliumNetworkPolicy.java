package io.hubbletopology.api.policy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A {@code cilium.io/v2} CiliumNetworkPolicy, as Kubernetes reads it: the records' component names are the
 * CRD's field names, so the object is written as it is. Only the fields a suggestion uses are declared; empty
 * lists and nulls are left out of the YAML (the CRD reads an absent field and an empty one alike).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record CiliumNetworkPolicy(String apiVersion, String kind, Metadata metadata, Spec spec) {

    public static final String API_VERSION = "cilium.io/v2";
    public static final String KIND = "CiliumNetworkPolicy";

    public static CiliumNetworkPolicy of(Metadata metadata, Spec spec) {
        return new CiliumNetworkPolicy(API_VERSION, KIND, metadata, spec);
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"name", "namespace", "labels"})
    public record Metadata(String name, String namespace, Map<String, String> labels) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"description", "endpointSelector", "enableDefaultDeny", "ingress", "egress"})
    public record Spec(String description, Selector endpointSelector, DefaultDeny enableDefaultDeny, List<IngressRule> ingress,
                       List<EgressRule> egress) {
    }

    /** An EndpointSelector: the labels an endpoint must all carry. */
    public record Selector(Map<String, String> matchLabels) {
    }

    /** Null for a direction the policy leaves to Cilium's default (deny when the direction has rules). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DefaultDeny(Boolean ingress, Boolean egress) {
    }

    /** One peer kind per rule: the CRD makes fromEndpoints, fromCIDR and fromEntities mutually exclusive. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"fromEndpoints", "fromEntities", "toPorts"})
    public record IngressRule(List<Selector> fromEndpoints, List<String> fromEntities, List<PortRule> toPorts) {
    }

    /** One peer kind per rule: toEndpoints, toCIDR, toEntities exclude each other, and toFQDNs goes alone. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"toEndpoints", "toEntities", "toFQDNs", "toCIDR", "toPorts"})
    public record EgressRule(List<Selector> toEndpoints, List<String> toEntities, List<FqdnSelector> toFQDNs,
                             List<String> toCIDR, List<PortRule> toPorts) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"ports", "rules"})
    public record PortRule(List<PortProtocol> ports, L7Rules rules) {
    }

    /** The CRD's port is a string (a number or a named port). */
    public record PortProtocol(String port, String protocol) {
    }

    /** One kind per PortRule: the CRD's oneOf of dns and http. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"dns", "http"})
    public record L7Rules(List<FqdnSelector> dns, List<HttpRule> http) {
        public static L7Rules dns(List<FqdnSelector> dns) {
            return new L7Rules(dns, List.of());
        }

        public static L7Rules http(List<HttpRule> http) {
            return new L7Rules(List.of(), http);
        }
    }

    /** A PortRuleHTTP: method and path are extended POSIX regexes (see {@link HttpRoutes}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"method", "path"})
    public record HttpRule(String method, String path) {
    }

    /** matchName or matchPattern, exactly one (the CRD's oneOf). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FqdnSelector(String matchName, String matchPattern) {
        public static FqdnSelector name(String name) {
            return new FqdnSelector(name, null);
        }

        public static FqdnSelector pattern(String pattern) {
            return new FqdnSelector(null, pattern);
        }
    }
}
