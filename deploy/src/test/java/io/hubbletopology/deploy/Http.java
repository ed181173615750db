package io.hubbletopology.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small JSON client for the query API, as curl would use it. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    public record Response(int status, JsonNode body) {
    }

    /** GETs a JSON document; a refused connection is status 0 (the server is not up yet). */
    public static Response get(String url) throws InterruptedException {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), JSON.readTree(r.body()));
        } catch (IOException e) {
            return new Response(0, JSON.nullNode());
        }
    }

    /** The sum of flows over the edges of a topology answer. */
    public static long totalFlows(JsonNode topology) {
        long sum = 0;
        for (JsonNode link : topology.path("links")) {
            sum += link.path("flows").asLong();
        }
        return sum;
    }
}
