package io.hubbletopology.deploy.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** One kustomization rendered by kubectl and read strictly into the Kubernetes API types. */
public record Rendered(String kustomization, List<Object> objects) {

    public static Rendered of(String kustomization) throws Exception {
        List<Object> objects = new ArrayList<>();
        for (JsonNode node : Kustomize.render(kustomization)) {
            objects.add(StrictKubernetesTypes.parse(node));
        }
        return new Rendered(kustomization, objects);
    }

    /** Every kustomization an operator may apply, rendered: for parameterized tests. */
    static Stream<Rendered> everyKustomization() throws Exception {
        List<Rendered> all = new ArrayList<>();
        for (String k : Kustomize.KUSTOMIZATIONS) {
            all.add(of(k));
        }
        return all.stream();
    }

    /** The overlays that deploy the roles (not the Strimzi topics, not the optional sink). */
    static Stream<Rendered> everyOverlay() throws Exception {
        return everyKustomization().filter(r -> r.kustomization().startsWith("overlays/"));
    }

    /** Every kustomization that runs pods: the overlays and the optional sink. */
    static Stream<Rendered> everyWorkloadKustomization() throws Exception {
        return everyKustomization().filter(r -> !r.workloads().isEmpty());
    }

    public <T> Stream<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast);
    }

    public <T> T only(Class<T> type) {
        List<T> found = all(type).toList();
        if (found.size() != 1) {
            throw new AssertionError(kustomization + ": expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        all(DaemonSet.class).forEach(d -> out.add(new Workload("DaemonSet " + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())));
        all(StatefulSet.class).forEach(s -> out.add(new Workload("StatefulSet " + s.getMetadata().getName(), s.getSpec().getTemplate().getSpec())));
        all(Deployment.class).forEach(d -> out.add(new Workload("Deployment " + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec())));
        return out;
    }

    DaemonSet ingest() {
        return only(DaemonSet.class);
    }

    StatefulSet processor() {
        return only(StatefulSet.class);
    }

    Deployment sink() {
        return only(Deployment.class);
    }

    Optional<Service> service(String name) {
        return all(Service.class).filter(s -> s.getMetadata().getName().equals(name)).findFirst();
    }

    PodDisruptionBudget pdb() {
        return only(PodDisruptionBudget.class);
    }

    /** The text of a file a container sees at {@code path}, when a ConfigMap of this render provides it. */
    Optional<String> mountedConfigFile(PodSpec pod, Container container, String path) {
        for (VolumeMount mount : container.getVolumeMounts()) {
            String dir = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (!path.startsWith(dir)) {
                continue;
            }
            String relative = path.substring(dir.length());
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            if (volume.getConfigMap() == null) {
                continue;
            }
            String key = volume.getConfigMap().getItems() == null || volume.getConfigMap().getItems().isEmpty() ? relative
                    : volume.getConfigMap().getItems().stream().filter(i -> i.getPath().equals(relative))
                            .map(i -> i.getKey()).findFirst().orElse(null);
            Optional<ConfigMap> map = all(ConfigMap.class)
                    .filter(c -> c.getMetadata().getName().equals(volume.getConfigMap().getName())).findFirst();
            if (key != null && map.isPresent() && map.get().getData().containsKey(key)) {
                return Optional.of(map.get().getData().get(key));
            }
        }
        return Optional.empty();
    }

    /** A pod template and where it comes from, for messages. */
    record Workload(String name, PodSpec pod) {

        List<Container> containers() {
            List<Container> all = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                all.addAll(pod.getInitContainers());
            }
            return all;
        }
    }

    /** The role a container runs: the jar's first argument (the image's entrypoint is {@code java -jar ...}). */
    static String role(Container container) {
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            throw new AssertionError(container.getName() + " overrides the image's entrypoint; set args only");
        }
        return container.getArgs().get(0);
    }

    /** The value following an option in a container's args, if the option is there. */
    static Optional<String> arg(Container container, String option) {
        List<String> args = container.getArgs();
        int i = args.indexOf(option);
        return i < 0 || i + 1 >= args.size() ? Optional.empty() : Optional.of(args.get(i + 1));
    }

    @Override
    public String toString() {
        return kustomization;
    }
}
