package io.hubbletopology.deploy.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Figures from a role's Prometheus endpoint, summed over their labels. */
final class Scrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Scrape() {
    }

    /** The sum of every sample whose metric name passes {@code name}; fails when the endpoint does not answer. */
    static double sum(String metricsUrl, Predicate<String> name) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> name.test(l.split("[{ ]", 2)[0]))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .filter(Double::isFinite)
                .sum();
    }

    /** Connections the role's Kafka clients saw closed: each client counts one when a broker it talks to dies. */
    static double kafkaConnectionsClosed(String metricsUrl) throws IOException, InterruptedException {
        return sum(metricsUrl, n -> n.startsWith("kafka_") && n.endsWith("_connection_close_total"));
    }
}
