package io.hubbletopology.ingest.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a health and metrics port on loopback, as the kubelet and Prometheus do: a plain GET that gives up after 5 s. */
public final class HealthPortClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HealthPortClient() {
    }

    public static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
