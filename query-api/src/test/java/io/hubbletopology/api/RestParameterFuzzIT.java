package io.hubbletopology.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.topics.TopicNames;

/**
 * Seeded fuzzing of the REST parameters over real HTTP: query strings mutated from valid ones (broken
 * escapes, extreme numbers, odd times, repeated and empty parameters) on every query route. The answer is
 * never a 5xx and always JSON: a bad parameter is the client's error and is named.
 */
class RestParameterFuzzIT {

    private static final long SEED = 7_004;
    private static final int REQUESTS = 2_500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROUTES = List.of("/api/v1/topology", "/api/v1/edges", "/api/v1/links", "/api/v1/workloads",
            "/api/v1/namespaces", "/api/v1/flows", "/topology", "/links");
    private static final List<String> SEEDS = List.of("last=1h", "last=15m&namespace=shop", "from=2026-11-21T10:00:00Z&to=2026-11-21T11:00:00Z",
            "last=1h&group_by=namespace&min_flows=2", "last=1h&protocol=TCP&verdict=DROPPED&port=8080",
            "key=shop/frontend->data/postgres&last=1h", "src=shop/frontend&dst=data/postgres&protocol=TCP&port=5432&last=2h",
            "limit=10&order=newest&since=2026-11-21T10:00:00Z&until=2026-11-21T10:05:00Z", "cursor=abc&limit=5",
            "node=n1&pod=frontend&reply=false&drop_reason=POLICY_DENIED", "state=up&node=n1", "workload=shop/frontend&namespace=shop");
    private static final List<String> VALUES = List.of("", "-1", "0", "1e99", "99999999999999999999999", "NaN", "%", "%zz", "%00",
            "%ff%fe", "..%2F..%2F", "1h1h", "-5m", "P1D", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2026-02-30T00:00:00Z",
            "%E2%80%AE", "a".repeat(3_000), "%5B%5D", "null", "tcp", "UDP", "65536", "-2147483649", "group_by", "%26%3D");

    @TempDir
    Path stateDir;

    @Test
    @Timeout(180)
    void mutatedQueryStringsGetNo5xxAndAlwaysJson() throws Exception {
        TopicNames topics = TopicNames.prefixed("rest-fuzz-it.");
        ProcessorConfig config = new ProcessorConfig(SharedKafka.bootstrapServers(), Map.of(), "rest-fuzz-it", null, stateDir, 1, 0,
                Duration.ofMillis(200), false, Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(1), topics, 2, (short) 1);
        try (TopologyProcessor processor = new TopologyProcessor(config);
             ApiServer api = new ApiServer(new ApiSettings("127.0.0.1", 0, "both"), processor)) {
            processor.start();
            api.start();
            await().atMost(Duration.ofSeconds(60)).until(processor::running);
            Random random = new Random(SEED);
            for (int i = 0; i < REQUESTS; i++) {
                String target = ROUTES.get(random.nextInt(ROUTES.size())) + "?" + mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
                Answer answer = get(api.port(), target);
                assertThat(answer.status()).as("status of GET " + target + " (seed " + SEED + ", request " + i + ")").isBetween(200, 499);
                try {
                    JSON.readTree(answer.body());
                } catch (Exception e) {
                    throw new AssertionError("GET " + target + " answered " + answer.status() + " with no JSON: " + answer.body(), e);
                }
            }
            assertThat(get(api.port(), "/health").status()).isEqualTo(200);
        }
    }

    private static String mutate(String query, Random random) {
        StringBuilder q = new StringBuilder(query);
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            switch (random.nextInt(5)) {
                case 0 -> {
                    // Replace one parameter's value.
                    int eq = q.indexOf("=", random.nextInt(q.length() + 1));
                    if (eq >= 0) {
                        int end = q.indexOf("&", eq);
                        q.replace(eq + 1, end < 0 ? q.length() : end, VALUES.get(random.nextInt(VALUES.size())));
                    }
                }
                case 1 -> q.append('&').append(q, 0, Math.min(q.length(), random.nextInt(q.length() + 1)));
                case 2 -> q.setLength(random.nextInt(q.length() + 1));
                case 3 -> q.insert(random.nextInt(q.length() + 1), List.of("&", "=", "&&", "==", "%", "+", ";", "#").get(random.nextInt(8)));
                default -> {
                    if (!q.isEmpty()) {
                        q.setCharAt(random.nextInt(q.length()), (char) (33 + random.nextInt(94)));
                    }
                }
            }
        }
        // Only what may appear raw in a request line: everything else percent-encoded, as a client would send it.
        StringBuilder out = new StringBuilder();
        for (byte b : q.toString().getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            out.append(c > 32 && c < 127 && c != '#' && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' && c != '`'
                    && c != '{' && c != '|' && c != '}' ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    private record Answer(int status, String body) {
    }

    /** A plain HTTP/1.1 GET on a socket, so the request line is sent exactly as built. */
    private static Answer get(int port, String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyAt = response.indexOf("\r\n\r\n");
            String head = response.substring(0, bodyAt).toLowerCase();
            String body = response.substring(bodyAt + 4);
            if (head.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Answer(status, body);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
