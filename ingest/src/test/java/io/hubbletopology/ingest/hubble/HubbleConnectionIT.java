package io.hubbletopology.ingest.hubble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.ingest.health.IngestMetrics;
import io.hubbletopology.ingest.testing.LogCapture;
import io.hubbletopology.ingest.testing.TestCertificates;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.simulator.SimulatedHubbleServer;
import io.hubbletopology.simulator.SyntheticCluster;

/** The Hubble source against a real Observer server: TCP and unix socket, plaintext, TLS and mTLS. */
@Timeout(60)
class HubbleConnectionIT {

    private static final int FLOWS = 300;

    @TempDir
    Path dir;

    private final Set<String> received = ConcurrentHashMap.newKeySet();

    private HubbleFlowSource source(HubbleSourceSettings settings) {
        // Replies included: every flow the server emits must arrive.
        return new HubbleFlowSource(settings.withFilters(List.of(), List.of(), true), "node-1",
                (FlowRecord f) -> received.add(f.getUuid()), lost -> { }, IngestMetrics.inMemory());
    }

    private static SimulatedHubbleServer.Builder server() {
        return SimulatedHubbleServer.builder().source(new SyntheticCluster(11)::next).flowsPerSecond(1_000).maxFlows(FLOWS).startPaused();
    }

    private void receivesEveryFlow(SimulatedHubbleServer hubble, HubbleFlowSource source) {
        try (source) {
            source.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> hubble.followers() == 1 && source.connected());
            hubble.resume();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == FLOWS);
            Set<String> sent = hubble.ringContents().stream().map(f -> f.getUuid()).collect(Collectors.toSet());
            assertThat(received).isEqualTo(sent);
        }
    }

    @Test
    void followsRelayOverTcp() {
        try (SimulatedHubbleServer hubble = server().start()) {
            receivesEveryFlow(hubble, source(HubbleSourceSettings.of("127.0.0.1:" + hubble.port())));
        }
    }

    @Test
    void followsTheLocalAgentOverAUnixSocket() {
        Path socket = dir.resolve("hubble-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        try (SimulatedHubbleServer hubble = server().unixSocket(socket).start()) {
            receivesEveryFlow(hubble, source(HubbleSourceSettings.of("unix://" + socket)));
        }
    }

    @Test
    void followsOverTlsCheckingTheServerAgainstTheCa() throws Exception {
        TestCertificates pki = TestCertificates.authority(dir, "relay");
        TestCertificates.Issued server = pki.issue("relay", "localhost", "127.0.0.1");
        try (SimulatedHubbleServer hubble = server().tls(server.certFile(), server.keyFile()).start()) {
            HubbleTls tls = new HubbleTls(true, pki.caFile(), null, null, null);
            receivesEveryFlow(hubble, source(HubbleSourceSettings.of("127.0.0.1:" + hubble.port()).withTls(tls)));
        }
    }

    @Test
    void followsOverMutualTlsWithAServerNameOverride() throws Exception {
        TestCertificates pki = TestCertificates.authority(dir, "cluster");
        // Relay's certificate names the service, not the address the agent dials.
        TestCertificates.Issued server = pki.issue("relay", "ui.hubble-relay.cilium.io");
        TestCertificates.Issued client = pki.issue("agent");
        try (SimulatedHubbleServer hubble = server().tls(server.certFile(), server.keyFile())
                .requireClientCertificate(pki.caFile()).start()) {
            HubbleTls tls = new HubbleTls(true, pki.caFile(), client.certFile(), client.keyFile(), "ui.hubble-relay.cilium.io");
            receivesEveryFlow(hubble, source(HubbleSourceSettings.of("127.0.0.1:" + hubble.port()).withTls(tls)));
        }
    }

    @Test
    void mutualTlsServerRefusesAnAgentWithoutClientCertificate() throws Exception {
        TestCertificates pki = TestCertificates.authority(dir, "mtls");
        TestCertificates.Issued server = pki.issue("relay", "localhost", "127.0.0.1");
        try (SimulatedHubbleServer hubble = server().tls(server.certFile(), server.keyFile()).requireClientCertificate(pki.caFile()).start();
             HubbleFlowSource source = source(HubbleSourceSettings.of("127.0.0.1:" + hubble.port())
                     .withTls(new HubbleTls(true, pki.caFile(), null, null, null)))) {
            source.start();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !source.connected());
            assertThat(hubble.requests()).isEmpty();
        }
    }

    @Test
    void refusesAServerSignedByAnotherCaWithOneClearLogLine() throws Exception {
        TestCertificates trusted = TestCertificates.authority(dir, "trusted");
        TestCertificates other = TestCertificates.authority(dir, "other");
        TestCertificates.Issued server = other.issue("relay", "localhost", "127.0.0.1");
        try (LogCapture logs = LogCapture.of(HubbleFlowSource.class);
             SimulatedHubbleServer hubble = server().tls(server.certFile(), server.keyFile()).start();
             HubbleFlowSource source = new HubbleFlowSource(HubbleSourceSettings.of("127.0.0.1:" + hubble.port())
                     .withTls(new HubbleTls(true, trusted.caFile(), null, null, null)).withMaxBackoff(Duration.ofMillis(300)),
                     "node-1", f -> received.add(f.getUuid()), lost -> { }, IngestMetrics.inMemory())) {
            source.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.warnings("TLS handshake").isEmpty());
            // Several retries later, still the one line.
            Thread.sleep(2_000);
            assertThat(logs.warnings("TLS handshake")).hasSize(1);
            assertThat(logs.warnings("TLS handshake").get(0)).contains("127.0.0.1:" + hubble.port()).contains("hubble.tls.ca_file");
            assertThat(source.connected()).isFalse();
            assertThat(hubble.requests()).as("no request got through").isEmpty();
        }
    }
}
