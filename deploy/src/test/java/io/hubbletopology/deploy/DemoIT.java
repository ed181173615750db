package io.hubbletopology.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.observer.GetFlowsRequest;
import io.hubbletopology.hubble.observer.GetNodesRequest;
import io.hubbletopology.hubble.observer.ObserverGrpc;
import io.hubbletopology.hubble.observer.ServerStatusRequest;
import io.hubbletopology.hubble.observer.ServerStatusResponse;

/**
 * The README's demo, run as a user runs it: one process, a topology that grows, this machine's interfaces, Hubble's
 * own API where its ready line says (asked as {@code hubble status} and {@code hubble observe --since 2h --last 20
 * --namespace NS} ask it, answering what {@code /api/v1/flows} answers), and Ctrl-C stopping everything within 15 s
 * with exit code 0 and no stack trace.
 */
class DemoIT {

    @Test
    @Timeout(150)
    void demoShowsAGrowingTopologyAndLocalLinksThenStopsCleanlyOnCtrlC() throws Exception {
        try (DemoProcess demo = DemoProcess.start("demo")) {
            String api = demo.api();
            AtomicLong first = new AtomicLong();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long flows = Http.totalFlows(Http.get(api + "/topology").body());
                first.set(flows);
                return flows > 0;
            });
            assertThat(demo.stdout()).contains("http://localhost:" + demo.apiPort());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Http.totalFlows(Http.get(api + "/topology").body()) > first.get());
            assertThat(Http.get(api + "/links").body().path("links").findValuesAsText("name")).contains("lo");
            theEdgesCarryWhatOnlyResponsesTell(api);
            Http.Response health = Http.get(api + "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body().path("status").asText()).isEqualTo("ok");
            theHubbleApiItPrintsAnswersAsHubbleObserveAsks(demo.stdout(), api);

            demo.signal("INT");
            assertThat(demo.awaitExit(Duration.ofSeconds(15))).isEqualTo(0);
            assertThat(demo.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    /**
     * HTTP status classes, DNS failures and latencies come only from L7 responses, which Hubble marks as replies: with
     * the defaults they must be counted, not shown as zero (the simulated cluster answers some requests with 5xx and
     * some DNS queries with NXDOMAIN).
     */
    private static void theEdgesCarryWhatOnlyResponsesTell(String api) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode edges = Http.get(api + "/api/v1/topology?last=15m").body().path("links");
            long serverErrors = 0;
            long dnsFailures = 0;
            long latencies = 0;
            for (JsonNode e : edges) {
                serverErrors += e.path("http").path("status").path("5xx").asLong();
                dnsFailures += e.path("dns").path("failures").asLong();
                latencies += e.path("latency").path("count").asLong();
            }
            assertThat(serverErrors).as("HTTP 5xx responses").isPositive();
            assertThat(dnsFailures).as("DNS failures").isPositive();
            assertThat(latencies).as("L7 latencies").isPositive();
        });
    }

    private static final Pattern HUBBLE_SERVER = Pattern.compile("hubble observe --server (\\S+?)\\)");

    private static void theHubbleApiItPrintsAnswersAsHubbleObserveAsks(String stdout, String api) throws Exception {
        Matcher printed = HUBBLE_SERVER.matcher(stdout);
        assertThat(printed.find()).as("the ready line names the Hubble API: %s", stdout).isTrue();
        ManagedChannel channel = ManagedChannelBuilder.forTarget(printed.group(1)).usePlaintext().build();
        try {
            ObserverGrpc.ObserverBlockingStub hubble = ObserverGrpc.newBlockingStub(channel);
            ServerStatusResponse status = hubble.withDeadlineAfter(30, TimeUnit.SECONDS).serverStatus(ServerStatusRequest.getDefaultInstance());
            assertThat(status.getNumFlows()).isPositive();
            assertThat(status.getNumConnectedNodes().getValue()).isPositive();
            // The nodes are those Hubble named in its flows (the simulated cluster's), not the agent's own name.
            List<String> nodes = hubble.withDeadlineAfter(30, TimeUnit.SECONDS).getNodes(GetNodesRequest.getDefaultInstance())
                    .getNodesList().stream().map(n -> n.getName()).toList();
            assertThat(nodes).isNotEmpty().hasSize(status.getNumConnectedNodes().getValue());

            String namespace = Http.get(api + "/api/v1/namespaces").body().path("namespaces").get(0).path("name").asText();
            // A range that has ended, so that both answers are of the same flows once the pipeline holds them all.
            Instant until = Instant.now().minusSeconds(1);
            GetFlowsRequest last20 = GetFlowsRequest.newBuilder().setNumber(20)
                    .setSince(timestamp(until.minus(Duration.ofHours(2)))).setUntil(timestamp(until))
                    .addWhitelist(FlowFilter.newBuilder().addSourcePod(namespace + "/"))
                    .addWhitelist(FlowFilter.newBuilder().addDestinationPod(namespace + "/")).build();
            String rest = api + "/api/v1/flows?format=hubble&limit=20&namespace=" + namespace + "&since=" + until.minus(Duration.ofHours(2))
                    + "&until=" + until;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> overGrpc = new ArrayList<>();
                List<Instant> times = new ArrayList<>();
                hubble.withDeadlineAfter(30, TimeUnit.SECONDS).getFlows(last20).forEachRemaining(r -> {
                    Flow flow = r.getFlow();
                    assertThat(r.getNodeName()).isIn(nodes);
                    assertThat(flow.getSource().getNamespace() + " " + flow.getDestination().getNamespace()).contains(namespace);
                    overGrpc.add(flow.getUuid());
                    times.add(Instant.ofEpochSecond(r.getTime().getSeconds(), r.getTime().getNanos()));
                });
                assertThat(overGrpc).hasSize(20).doesNotHaveDuplicates();
                assertThat(times).isSorted().allMatch(t -> !t.isAfter(until));
                List<String> overRest = new ArrayList<>();
                for (JsonNode f : Http.get(rest).body().path("flows")) {
                    overRest.add(f.path("flow").path("uuid").asText());
                }
                assertThat(overGrpc).containsExactlyInAnyOrderElementsOf(overRest);
            });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
