package io.hubbletopology.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hubbletopology.records.EndpointRef;

class EndpointNamesTest {

    @Test
    void namesAPodByTheWorkloadHubbleGives() {
        EndpointRef pod = EndpointRef.newBuilder().setNamespace("shop").setPod("frontend-7d4b9c5f8-x2x9k")
                .setWorkloadKind("Deployment").setWorkloadName("frontend").build();
        GraphNode node = EndpointNames.of(pod);
        assertThat(node.kind()).isEqualTo(GraphNode.Kind.WORKLOAD);
        assertThat(node.id()).isEqualTo("shop/deployment/frontend");
    }

    @ParameterizedTest
    @CsvSource({
        "frontend-7d4b9c5f8-x2x9k, deployment/frontend",
        "postgres-0, statefulset/postgres",
        "my-app-12, statefulset/my-app",
        "backup-29381760-x7k2p, cronjob/backup",
        "standalone, pod/standalone"
    })
    void derivesTheWorkloadFromThePodNameWhenHubbleGivesNone(String pod, String expected) {
        EndpointRef ref = EndpointRef.newBuilder().setNamespace("ns").setPod(pod).build();
        assertThat(EndpointNames.of(ref).name()).isEqualTo(expected);
    }

    @Test
    void fallsBackToTheAppLabelThenToTheDaemonSetSuffix() {
        EndpointRef labelled = EndpointRef.newBuilder().setNamespace("ns").setPod("exporter-abcde")
                .addLabels("k8s:app=node-exporter").build();
        assertThat(EndpointNames.of(labelled).name()).isEqualTo("app/node-exporter");
        EndpointRef unlabelled = EndpointRef.newBuilder().setNamespace("ns").setPod("exporter-abcde").build();
        assertThat(EndpointNames.of(unlabelled).name()).isEqualTo("daemonset/exporter");
    }

    @Test
    void fallsBackToTheRecommendedNameLabelWhenThereIsNoAppLabel() {
        EndpointRef labelled = EndpointRef.newBuilder().setNamespace("ns").setPod("agent-abcde")
                .addLabels("k8s:app.kubernetes.io/name=fluent-bit").build();
        assertThat(EndpointNames.of(labelled).id()).isEqualTo("ns/app/fluent-bit");
    }

    @Test
    void lowerCasesTheKindHubbleGives() {
        EndpointRef job = EndpointRef.newBuilder().setNamespace("ops").setPod("migrate-x2x9k")
                .setWorkloadKind("Job").setWorkloadName("migrate").build();
        assertThat(EndpointNames.of(job).id()).isEqualTo("ops/job/migrate");
    }

    @ParameterizedTest
    @CsvSource({"1, host", "2, world", "3, unmanaged", "4, health", "5, init", "6, remote-node", "7, kube-apiserver",
        "8, ingress"})
    void namesReservedIdentities(int identity, String name) {
        GraphNode node = EndpointNames.of(EndpointRef.newBuilder().setIdentity(identity).setIp("10.0.0.1").build());
        assertThat(node.kind()).isEqualTo(GraphNode.Kind.RESERVED);
        assertThat(node.id()).isEqualTo("reserved:" + name);
    }

    @Test
    void namesWorldByDnsWhenHubbleResolvedIt() {
        EndpointRef stripe = EndpointRef.newBuilder().setIdentity(2).setIp("198.51.100.20").addDnsNames("api.stripe.com").build();
        assertThat(EndpointNames.of(stripe).id()).isEqualTo("dns:api.stripe.com");
    }

    @Test
    void namesAReservedLabelWithoutANumericIdentity() {
        EndpointRef ref = EndpointRef.newBuilder().setIdentity(16777217).addLabels("reserved:kube-apiserver").build();
        assertThat(EndpointNames.of(ref).id()).isEqualTo("reserved:kube-apiserver");
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3, private", "172.16.0.1, private", "192.168.1.1, private", "100.64.0.1, private",
        "8.8.8.8, public", "127.0.0.1, loopback", "169.254.1.1, link-local", "fd00::1, private",
        "2001:4860::8888, public", "224.0.0.1, multicast", "'', unknown", "not-an-ip, unknown"
    })
    void namesAnUnknownEndpointByTheKindOfItsAddress(String ip, String kind) {
        EndpointRef ref = EndpointRef.newBuilder().setIdentity(70000).setIp(ip).build();
        GraphNode node = EndpointNames.of(ref);
        assertThat(node.kind()).isEqualTo(GraphNode.Kind.IP);
        assertThat(node.name()).isEqualTo(kind);
    }

    @Test
    void prefixesTheClusterWhenHubbleNamesIt() {
        EndpointRef pod = EndpointRef.newBuilder().setCluster("eu-1").setNamespace("shop").setPod("cart-0").build();
        assertThat(EndpointNames.of(pod).id()).isEqualTo("eu-1:shop/statefulset/cart");
    }
}
