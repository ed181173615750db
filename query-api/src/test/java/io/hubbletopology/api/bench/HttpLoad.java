package io.hubbletopology.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load of GET requests: each client thread sends its next request as soon as the previous answer
 * was read in full, for a fixed time. Every answer must be 200; anything else counts as an error.
 */
final class HttpLoad {

    /** What one load run measured. */
    record Result(String name, int clients, Latencies latencies, double seconds, long errors, long bytes) {

        double requestsPerSecond() {
            return latencies.count() / seconds;
        }

        long bytesPerAnswer() {
            return latencies.count() == 0 ? 0 : bytes / latencies.count();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Runs the load; {@code headers} are name, value pairs sent with every request. The answer's bytes are read
     * as they come (a gzip answer is not unzipped: that is the client's CPU, not the server's latency).
     */
    Result run(String name, int clients, URI uri, Duration duration, String... headers) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpRequest request = builder.build();
        // Warm the connections and the server's code paths first; the warm-up is not measured.
        drive(request, clients, Duration.ofSeconds(2), new Latencies(), new AtomicLong(), new AtomicLong());
        Latencies latencies = new Latencies();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        drive(request, clients, duration, latencies, errors, bytes);
        return new Result(name, clients, latencies, (System.nanoTime() - start) / 1e9, errors.get(), bytes.get());
    }

    private void drive(HttpRequest request, int clients, Duration duration, Latencies latencies, AtomicLong errors, AtomicLong bytes)
            throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            latencies.record(System.nanoTime() - sent);
                            bytes.addAndGet(response.body().length);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "http-load-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
