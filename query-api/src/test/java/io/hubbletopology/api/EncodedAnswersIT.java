package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.topics.TopicNames;

/**
 * Topology answers as HTTP clients take them, from a processor with the default commit interval on the real
 * broker: gzip and plain are the same topology, a change shows within the freshness bound in both, an unchanged
 * answer is a 304 to a client holding its tag, and the token gate stands in front of the cached bytes.
 */
class EncodedAnswersIT {

    private static final String TOKEN = "encoded-answers-token";
    private static final String PATH = "/api/v1/topology?last=15m";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Timeout(120)
    void gzipAndPlainAreOneTopologyFreshWithinTheBoundAndAnUnchangedTagIsA304(@TempDir Path dir) throws Exception {
        TopicNames topics = TopicNames.prefixed("encoded-it.");
        try (RunningApi run = RunningApi.start(FreshAnswersIT.withDefaultCommitInterval("encoded-it", topics, dir),
                     new ApiSettings("127.0.0.1", 0, "both").withTokens(List.of(TOKEN))).awaitRunning();
             var producer = FlowsTopicWriter.producer(SharedKafka.bootstrapServers())) {
            ApiServer api = run.api();
            FreshAnswersIT.send(producer, topics, "web-0", 5);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> RunningApi.flows(body(get(api, PATH, false, null))) == 5);

            // The same topology in both encodings; the same bytes whenever they carry the same computation's tag.
            HttpResponse<byte[]> plain = get(api, PATH, false, null);
            HttpResponse<byte[]> gzip = get(api, PATH, true, null);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gzip.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(gzip.body().length).isLessThan(plain.body().length);
            assertThat(withoutTimes(body(gzip))).isEqualTo(withoutTimes(body(plain)));
            if (etag(gzip).equals(etag(plain).replaceFirst("\"$", "-gzip\""))) {
                assertThat(gunzip(gzip.body())).isEqualTo(plain.body());
            }

            // A client holding the answer now current gets a 304 without a body; one with another tag gets the answer.
            assertThat(get(api, PATH, false, "\"not-this-answer\"").statusCode()).isEqualTo(200);
            int notModified = 0;
            for (int ask = 0; ask < 20 && notModified == 0; ask++) {
                for (boolean gz : new boolean[] {false, true}) {
                    HttpResponse<byte[]> held = get(api, PATH, gz, null);
                    HttpResponse<byte[]> again = get(api, PATH, gz, etag(held));
                    if (again.statusCode() == 304) {
                        notModified++;
                        assertThat(again.body()).isEmpty();
                        assertThat(etag(again)).isEqualTo(etag(held));
                    } else {
                        // Recomputed in between (the answer says when it was made): a new tag, never the held one.
                        assertThat(again.statusCode()).isEqualTo(200);
                        assertThat(etag(again)).isNotEqualTo(etag(held));
                    }
                }
            }
            assertThat(notModified).as("304s for a held current tag").isPositive();

            // The gate before the bytes: the answer is cached, and still refused without the token.
            HttpResponse<byte[]> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + PATH))
                    .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(new String(refused.body())).doesNotContain("web-0");

            // A change: once it is in the stores, every answer asked for shows it, fresh within the bound.
            HttpResponse<byte[]> before = get(api, PATH, true, null);
            FreshAnswersIT.send(producer, topics, "web-1", 3);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> RunningApi.flows(body(get(api, PATH, false, null))) == 8);
            for (boolean gz : new boolean[] {true, false}) {
                Instant asked = Instant.now();
                HttpResponse<byte[]> after = get(api, PATH, gz, gz ? etag(before) : null);
                assertThat(after.statusCode()).as("the tag held before the change").isEqualTo(200);
                JsonNode answer = body(after);
                assertThat(RunningApi.flows(answer)).isEqualTo(8);
                assertThat(Instant.parse(answer.path("as_of").asText()))
                        .isAfterOrEqualTo(asked.minus(ApiServer.ANSWER_MAX_AGE).minusMillis(50));
                assertThat(answer.path("partial").asBoolean(true)).isFalse();
                assertThat(answer.has("missing")).isFalse();
            }
        }
    }

    private static HttpResponse<byte[]> get(ApiServer api, String path, boolean gzip, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        HttpResponse<byte[]> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isIn(200, 304);
        return r;
    }

    private static String etag(HttpResponse<?> r) {
        return r.headers().firstValue("ETag").orElseThrow();
    }

    private static JsonNode body(HttpResponse<byte[]> r) throws Exception {
        boolean gzipped = r.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
        return JSON.readTree(gzipped ? gunzip(r.body()) : r.body());
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** The answer without when it was made and the range that follows from it: what two computations share. */
    private static JsonNode withoutTimes(JsonNode answer) {
        ObjectNode copy = answer.deepCopy();
        copy.remove(List.of("as_of", "from", "to"));
        return copy;
    }
}
