package io.hubbletopology.sink.remote;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to write: the endpoint, its credentials, the CA that signed its certificate, the tenant.
 *
 * @param url           the remote write endpoint, e.g. {@code http://prometheus:9090/api/v1/write}
 * @param authorization the {@code Authorization} header value (Basic or Bearer), null for none
 * @param caFile        a PEM file of the CA(s) to trust for https, null for the JVM's defaults
 * @param tenant        the {@code X-Scope-OrgID} header for Mimir, Cortex or Loki-style multi-tenancy, null for none
 * @param timeout       how long one request may take, connection included
 */
public record RemoteWriteTarget(URI url, String authorization, Path caFile, String tenant, Duration timeout) {

    public RemoteWriteTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
    }

    public static RemoteWriteTarget of(URI url) {
        return new RemoteWriteTarget(url, null, null, null, Duration.ofSeconds(10));
    }
}
