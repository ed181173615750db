package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.api.observer.ObserverServer;
import io.hubbletopology.api.observer.ObserverSettings;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;

/**
 * A processor and its API server in this JVM, started in the processor role's order: the API listens first, then
 * the processor starts and advertises the API's address to other instances. Closed in the reverse order. For the
 * integration tests of the API and of what reads it.
 *
 * <pre>{@code
 * try (RunningApi run = RunningApi.start(config, new ApiSettings("127.0.0.1", 0, "both")).awaitRunning()) {
 *     long flows = RunningApi.flows(run.getOk("/api/v1/topology?last=15m"));
 * }
 * }</pre>
 */
public final class RunningApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TopologyProcessor processor;
    private final ApiServer api;
    private final ApiSettings settings;
    private ObserverServer observer;

    private RunningApi(TopologyProcessor processor, ApiServer api, ApiSettings settings) {
        this.processor = processor;
        this.api = api;
        this.settings = settings;
    }

    public static RunningApi start(ProcessorConfig config, ApiSettings settings) {
        TopologyProcessor processor = new TopologyProcessor(config);
        ApiServer api = new ApiServer(settings, processor.queryService());
        try {
            api.start();
            processor.start("127.0.0.1:" + api.port());
        } catch (RuntimeException e) {
            api.close();
            processor.close();
            throw e;
        }
        return new RunningApi(processor, api, settings);
    }

    /**
     * Hubble's Observer API beside this API, as the processor role wires it: the API's flow bounds, tokens and
     * {@code /metrics}. Closed with the rest.
     */
    public ObserverServer startObserver(ObserverSettings observerSettings) {
        observer = ObserverServer.besideApi(observerSettings, settings, api, processor.queryService().flowHistory());
        observer.start();
        return observer;
    }

    /** Waits (60 s at most) until the processor's stream threads run. */
    public RunningApi awaitRunning() {
        await().atMost(Duration.ofSeconds(60)).until(processor::running);
        return this;
    }

    public TopologyProcessor processor() {
        return processor;
    }

    public ApiServer api() {
        return api;
    }

    public int port() {
        return api.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + api.port() + pathAndQuery);
    }

    /**
     * A GET with nothing checked. Given 30 s: a flow query reads for 10 s at most (api.flows.max_duration) after
     * waiting up to 2 s for a reader.
     */
    public HttpResponse<String> send(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose answer is held to what openapi.json says its route answers (a JSON answer to its schema). */
    public HttpResponse<String> getDocumented(String pathAndQuery) throws Exception {
        HttpResponse<String> r = send(pathAndQuery);
        ResponseSchemas.assertAnswer("GET", pathAndQuery, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
        return r;
    }

    /** The JSON of a documented GET; an object answer carries its status as {@code http_status} besides. */
    public JsonNode getDocumentedJson(String pathAndQuery) throws Exception {
        HttpResponse<String> r = getDocumented(pathAndQuery);
        JsonNode body = JSON.readTree(r.body());
        if (body instanceof ObjectNode object) {
            object.put("http_status", r.statusCode());
        }
        return body;
    }

    /** The JSON of a GET that must answer 200. */
    public JsonNode getOk(String pathAndQuery) throws Exception {
        HttpResponse<String> r = send(pathAndQuery);
        assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The flows of every edge of a topology answer, summed. */
    public static long flows(JsonNode topology) {
        long sum = 0;
        for (JsonNode link : topology.path("links")) {
            sum += link.path("flows").asLong();
        }
        return sum;
    }

    @Override
    public void close() {
        if (observer != null) {
            observer.close();
        }
        api.close();
        processor.close();
    }
}
