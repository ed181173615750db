package io.hubbletopology.sink.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.hubbletopology.sink.series.Sample;

/**
 * Sends samples to a Prometheus remote write endpoint (Prometheus, VictoriaMetrics, Mimir, Cortex, Thanos
 * receive, ...): protobuf {@code WriteRequest}, snappy, remote write 0.1.0 headers. One request per call, bounded
 * by the target's timeout; never throws for what the TSDB or the network did, it says so in the outcome.
 *
 * <pre>{@code
 * RemoteWriteClient client = new RemoteWriteClient(RemoteWriteTarget.of(URI.create("http://127.0.0.1:9090/api/v1/write")));
 * WriteOutcome outcome = client.write(samples);
 * }</pre>
 */
public final class RemoteWriteClient {

    private final RemoteWriteTarget target;
    private final HttpClient http;

    public RemoteWriteClient(RemoteWriteTarget target) {
        this.target = target;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(target.timeout())
                .version(HttpClient.Version.HTTP_1_1);
        if (target.caFile() != null) {
            builder.sslContext(trusting(target));
        }
        this.http = builder.build();
    }

    public WriteOutcome write(List<Sample> samples) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url()).timeout(target.timeout())
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("User-Agent", "hubble-topology-sink")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(WriteRequests.encode(samples)));
        if (target.authorization() != null) {
            request.header("Authorization", target.authorization());
        }
        if (target.tenant() != null) {
            request.header("X-Scope-OrgID", target.tenant());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return WriteOutcome.ofStatus(response.statusCode(), response.body());
        } catch (IOException e) {
            return WriteOutcome.noAnswer(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WriteOutcome.noAnswer("interrupted");
        }
    }

    private static SSLContext trusting(RemoteWriteTarget target) {
        try (InputStream in = Files.newInputStream(target.caFile())) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CA file " + target.caFile() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CA file " + target.caFile() + " holds no usable certificate: " + e.getMessage(), e);
        }
    }
}
