package io.hubbletopology.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.config.ConfigValues;
import io.hubbletopology.deploy.k8s.StrictKubernetesTypes.KafkaTopic;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.sink.SinkConfig;
import io.hubbletopology.topics.TopicNames;

/** What each role needs from its manifest to work on a real node, in every overlay. */
class RoleManifestsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hubbletopology.deploy.k8s.Rendered#everyOverlay")
    void ingestRunsOnEveryNodeAndSeesTheHostsLinksAndTheCiliumSocket(Rendered rendered) {
        PodSpec pod = rendered.ingest().getSpec().getTemplate().getSpec();
        Container ingest = roleContainer(pod, "ingest");

        // Tainted nodes too: one toleration of everything.
        assertThat(pod.getTolerations()).extracting(Toleration::getOperator, Toleration::getKey, Toleration::getEffect)
                .contains(org.assertj.core.groups.Tuple.tuple("Exists", null, null));
        assertThat(env(ingest, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");

        // --sysfs-root must land on the host's /sys/class/net through a mount of the host's /sys: the
        // entries are symlinks into /sys/devices, which a mount of /sys/class/net alone leaves dangling.
        String sysfsRoot = Rendered.arg(ingest, "--sysfs-root").orElseThrow();
        assertThat(hostPathOf(pod, ingest, sysfsRoot)).contains("/sys/class/net");
        assertThat(hostVolumeFor(pod, ingest, sysfsRoot).orElseThrow().getHostPath().getPath()).isEqualTo("/sys");

        String hubble = env(ingest, "HUBBLE_ADDR").getValue();
        assertThat(hubble).startsWith("unix://");
        assertThat(hostPathOf(pod, ingest, hubble.substring("unix://".length()))).contains("/var/run/cilium/hubble.sock");
        // Cilium makes the socket root:root 0660; a non-root agent connects through group 0.
        assertThat(pod.getSecurityContext().getSupplementalGroups()).contains(0L);

        assertThat(ingest.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("health");
            assertThat(p.getContainerPort()).isEqualTo(9090);
        });
        assertThat(ingest.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(ingest.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(ingest.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hubbletopology.deploy.k8s.Rendered#everyOverlay")
    void processorIsAStatefulSetThatPeersFindAndClientsReach(Rendered rendered) {
        StatefulSet sts = rendered.processor();
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container processor = roleContainer(pod, "processor");
        Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();

        Service headless = rendered.service(sts.getSpec().getServiceName()).orElseThrow(
                () -> new AssertionError("serviceName " + sts.getSpec().getServiceName() + " is not rendered"));
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(podLabels).containsAllEntriesOf(headless.getSpec().getSelector());

        int apiPort = Integer.parseInt(Rendered.arg(processor, "--api-port").orElseThrow());
        assertThat(processor.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("api");
            assertThat(p.getContainerPort()).isEqualTo(apiPort);
        });
        // application.server: this pod's address and the API port, so peers can ask it for its part.
        assertThat(env(processor, "POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(env(processor, "APPLICATION_SERVER").getValue()).isEqualTo("$(POD_IP):" + apiPort);
        assertThat(processor.getEnv().stream().map(EnvVar::getName).toList())
                .as("POD_IP defined before the variable that uses it")
                .containsSubsequence("POD_IP", "APPLICATION_SERVER");

        assertThat(processor.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(processor.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");

        // The state directory is on the claim template's volume, so a restarted pod keeps its stores.
        String stateDir = Rendered.arg(processor, "--state-dir").orElseThrow();
        List<String> claims = sts.getSpec().getVolumeClaimTemplates().stream().map(c -> c.getMetadata().getName()).toList();
        VolumeMount state = processor.getVolumeMounts().stream().filter(m -> stateDir.startsWith(m.getMountPath())).findFirst().orElseThrow();
        assertThat(claims).contains(state.getName());
        PersistentVolumeClaim claim = sts.getSpec().getVolumeClaimTemplates().get(claims.indexOf(state.getName()));
        assertThat(claim.getSpec().getResources().getRequests()).containsKey("storage");

        Service api = rendered.service("hubble-topology-api").orElseThrow();
        assertThat(api.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(api.getSpec().getPorts()).anySatisfy(p -> {
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("api");
        });
        assertThat(podLabels).containsAllEntriesOf(api.getSpec().getSelector());

        PodDisruptionBudget pdb = rendered.pdb();
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);

        var antiAffinity = pod.getAffinity().getPodAntiAffinity();
        var terms = Stream.concat(
                antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().stream(),
                antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution().stream().map(w -> w.getPodAffinityTerm())).toList();
        assertThat(terms).isNotEmpty().allSatisfy(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(podLabels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hubbletopology.deploy.k8s.Rendered#everyOverlay")
    void bothRolesCreateMissingTopicsAlike(Rendered rendered) {
        // Whichever role starts first creates hubble.flows and hubble.links; the other uses them as they are.
        Container ingest = rendered.ingest().getSpec().getTemplate().getSpec().getContainers().get(0);
        Container processor = rendered.processor().getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String option : List.of("--partitions", "--replication-factor")) {
            assertThat(Rendered.arg(ingest, option)).as(rendered + " ingest " + option).isPresent()
                    .isEqualTo(Rendered.arg(processor, option));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sink", "sink-sasl"})
    void sinkTakesItsEndpointFromAConfigMapAndCredentialsFromAnOptionalSecret(String kustomization) throws Exception {
        Rendered rendered = Rendered.of(kustomization);
        Deployment deployment = rendered.sink();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container sink = roleContainer(pod, "sink");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        // Each from a ConfigMap this kustomization renders, with a value the sink accepts.
        for (ConfigKey<?> key : List.of(SinkConfig.REMOTE_WRITE_URL, KafkaSettings.BOOTSTRAP_SERVERS)) {
            ConfigMapKeySelector ref = env(sink, key.env()).getValueFrom().getConfigMapKeyRef();
            ConfigMap map = rendered.all(ConfigMap.class).filter(c -> c.getMetadata().getName().equals(ref.getName()))
                    .findFirst().orElseThrow(() -> new AssertionError(key.env() + ": ConfigMap " + ref.getName() + " is not rendered"));
            assertThat(map.getData()).as(key.env()).containsKey(ref.getKey());
            assertThat(key.parser().apply(map.getData().get(ref.getKey()))).as(key.env()).isNotNull();
        }
        // Both or neither (the sink refuses a user without a password); optional, so an open endpoint needs no Secret.
        for (ConfigKey<String> key : List.of(SinkConfig.BASIC_AUTH_USERNAME, SinkConfig.BASIC_AUTH_PASSWORD)) {
            SecretKeySelector ref = env(sink, key.env()).getValueFrom().getSecretKeyRef();
            assertThat(ref.getName()).as(key.env()).isEqualTo("hubble-topology-sink");
            assertThat(ref.getOptional()).as(key.env()).isTrue();
        }

        int healthPort = Integer.parseInt(Rendered.arg(sink, "--health-port").orElseThrow());
        assertThat(sink.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("health");
            assertThat(p.getContainerPort()).isEqualTo(healthPort);
        });
        assertThat(sink.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(sink.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(sink.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");

        // A window is written once its end plus this grace has passed: it must cover the processor's default
        // grace and commit interval, or a window is written before its last update (docs/topics.md).
        String mounted = rendered.mountedConfigFile(pod, sink, Rendered.arg(sink, "--config").orElseThrow()).orElseThrow();
        Path config = Files.writeString(Files.createTempFile("sink-manifest", ".yaml"), mounted);
        Duration grace = ConfigValues.load(config, Map.of(), Map.of()).get(SinkConfig.WINDOW_GRACE);
        Duration processor = ProcessorConfig.WINDOW_GRACE.parser().apply(ProcessorConfig.WINDOW_GRACE.defaultValue())
                .plus(ProcessorConfig.COMMIT_INTERVAL.parser().apply(ProcessorConfig.COMMIT_INTERVAL.defaultValue()));
        assertThat(grace).isGreaterThanOrEqualTo(processor);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hubbletopology.deploy.k8s.Rendered#everyOverlay")
    void theOverlaysRunNoSinkSoAnInstallationNeedsNoTsdb(Rendered rendered) {
        assertThat(rendered.all(Deployment.class)).isEmpty();
    }

    @Test
    void productionRunsStandbysOnSeparateNodes() throws Exception {
        StatefulSet sts = Rendered.of("overlays/production").processor();
        Container processor = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        int replicas = sts.getSpec().getReplicas();
        int standbys = Integer.parseInt(Rendered.arg(processor, "--standby-replicas").orElseThrow());
        assertThat(replicas).isGreaterThanOrEqualTo(2);
        assertThat(standbys).isBetween(1, replicas - 1);
        assertThat(Integer.parseInt(Rendered.arg(processor, "--replication-factor").orElseThrow())).isGreaterThanOrEqualTo(3);
        assertThat(sts.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()).isNotEmpty();
    }

    /** The production overlay's roles, and the sink beside them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/production", "sink-sasl"})
    void productionTakesKafkaCredentialsFromASecretNotTheConfigMap(String kustomization) throws Exception {
        Rendered production = Rendered.of(kustomization);
        for (Rendered.Workload w : production.workloads()) {
            Container c = w.pod().getContainers().get(0);
            EnvVar jaas = env(c, "KAFKA_SASL_JAAS_CONFIG");
            assertThat(jaas.getValue()).as(w.name()).isNull();
            assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hubble-topology-kafka");
            String config = production.mountedConfigFile(w.pod(), c, Rendered.arg(c, "--config").orElseThrow()).orElseThrow();
            assertThat(config).contains("sasl.jaas.config: ${env:KAFKA_SASL_JAAS_CONFIG}").doesNotContain("password=");
            String truststore = config.lines().filter(l -> l.contains("ssl.truststore.location:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
            Volume ca = w.pod().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
            VolumeMount caMount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(ca.getName())).findFirst().orElseThrow();
            assertThat(Path.of(truststore).getParent()).isEqualTo(Path.of(caMount.getMountPath()));
        }
    }

    @Test
    void productionCannotStartWithAnOpenApi() throws Exception {
        StatefulSet sts = Rendered.of("overlays/production").processor();
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container processor = pod.getContainers().get(0);
        assertThat(env(processor, ApiSettings.REQUIRE_AUTH.env()).getValue()).isEqualTo("true");
        assertThat(processor.getEnv()).as("tokens come from the file only").noneMatch(e -> e.getName().equals(ApiSettings.TOKENS.env()));
        Path tokens = Path.of(env(processor, ApiSettings.TOKENS_FILE.env()).getValue());
        VolumeMount mount = processor.getVolumeMounts().stream().filter(m -> Path.of(m.getMountPath()).equals(tokens.getParent()))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + tokens.getParent()));
        // A subPath mount is never updated by the kubelet: a rotated token would not reach the pod.
        assertThat(mount.getSubPath()).isNullOrEmpty();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getSecret()).as(volume.getName() + " is a Secret").isNotNull();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("hubble-topology-api");
        assertThat(volume.getSecret().getOptional()).as("an optional Secret would let the pod start without tokens").isNotEqualTo(true);
        assertThat(volume.getSecret().getItems()).anyMatch(i -> i.getPath().equals(tokens.getFileName().toString()));
    }

    @Test
    void strimziTopicsAreTheTopicsTheRolesUse() throws Exception {
        Rendered strimzi = Rendered.of("strimzi");
        Map<String, KafkaTopic> topics = strimzi.all(KafkaTopic.class)
                .collect(Collectors.toMap(t -> t.spec().topicName(), t -> t));
        TopicNames names = TopicNames.defaults();
        assertThat(topics.keySet()).containsExactlyInAnyOrder(names.flows(), names.links(), names.lostEvents(),
                names.deadLetter(), names.edgeUpdates(), names.linkChanges(), names.workloadChanges(), names.live());
        for (String compacted : List.of(names.links(), names.linkChanges(), names.workloadChanges())) {
            assertThat(topics.get(compacted).spec().config()).as(compacted).containsEntry("cleanup.policy", "compact");
        }
        assertThat(topics.values()).allSatisfy(t -> {
            assertThat(t.metadata().getLabels()).containsKey("strimzi.io/cluster");
            assertThat(t.spec().replicas()).isGreaterThanOrEqualTo(3);
        });
        // Edges are keyed per workload pair (flows) and node/interface (links): the processor's parallelism
        // is the partition count of these two, so they must agree.
        assertThat(topics.get(names.flows()).spec().partitions()).isEqualTo(topics.get(names.links()).spec().partitions());
    }

    /** The pod's first container, which must run {@code role}. */
    private static Container roleContainer(PodSpec pod, String role) {
        Container container = pod.getContainers().get(0);
        assertThat(Rendered.role(container)).isEqualTo(role);
        return container;
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not set " + name));
    }

    private static Optional<Volume> hostVolumeFor(PodSpec pod, Container c, String path) {
        return mountFor(c, path).flatMap(m -> pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst())
                .filter(v -> v.getHostPath() != null);
    }

    /** The host path a container path resolves to, when it lies in a hostPath mount. */
    private static Optional<String> hostPathOf(PodSpec pod, Container c, String path) {
        Optional<VolumeMount> mount = mountFor(c, path);
        return hostVolumeFor(pod, c, path).map(v -> {
            String rest = path.substring(mount.get().getMountPath().length());
            return v.getHostPath().getPath() + rest;
        });
    }

    private static Optional<VolumeMount> mountFor(Container c, String path) {
        return c.getVolumeMounts().stream()
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .findFirst();
    }
}
