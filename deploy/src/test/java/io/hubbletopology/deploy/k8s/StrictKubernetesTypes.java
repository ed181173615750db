package io.hubbletopology.deploy.k8s;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Reads rendered objects into fabric8's Kubernetes API types and refuses any field the API does not have.
 *
 * <p>fabric8's model classes keep unknown fields in an {@code additionalProperties} map (a Jackson any-setter),
 * which would accept {@code readOnlyRootFileSystem} as silently as the API server's non-strict decoding does.
 * This mapper removes the any-setters, so with FAIL_ON_UNKNOWN_PROPERTIES a misspelled field fails with its
 * path.
 */
final class StrictKubernetesTypes {

    /** The apiVersion/kind pairs we ship, and the type each must parse as. Anything else is refused. */
    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .registerModule(new SimpleModule("no-additional-properties").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                             BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }));

    private StrictKubernetesTypes() {
    }

    /** The object as its API type; throws IllegalArgumentException naming the object and the bad field. */
    static Object parse(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        Class<?> cls = TYPES.get(type);
        String name = type + " " + object.path("metadata").path("name").asText();
        if (cls == null) {
            throw new IllegalArgumentException(name + ": not a type these manifests may use (" + TYPES.keySet() + ")");
        }
        try {
            return STRICT.treeToValue(object, cls);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": " + e.getOriginalMessage() + " at " + path(e), e);
        }
    }

    /** Parses as the given type, for objects the caller already knows. */
    static <T> T parse(JsonNode object, Class<T> type) {
        return type.cast(parse(object));
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            return m.getPathReference();
        }
        return "?";
    }

    /**
     * Strimzi's KafkaTopic, the fields of {@code kafka.strimzi.io/v1beta2} we use and the ones Strimzi has
     * (its API jar would pull a second fabric8 version into the build).
     */
    record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(String topicName, int partitions, int replicas, Map<String, Object> config) {
        }
    }

    /** The fields of the Prometheus Operator's PodMonitor (monitoring.coreos.com/v1) that our manifests use. */
    record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(LabelSelector selector, List<Endpoint> podMetricsEndpoints) {
        }

        record Endpoint(String port, String path, String interval, String scheme) {
        }
    }

    /** The Prometheus Operator's PrometheusRule (monitoring.coreos.com/v1): its spec is a Prometheus rules file. */
    record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(List<Group> groups) {
        }

        record Group(String name, String interval, List<Rule> rules) {
        }

        record Rule(String alert, String record, String expr, @JsonProperty("for") String pendingFor,
                    Map<String, String> labels, Map<String, String> annotations) {
        }
    }
}
