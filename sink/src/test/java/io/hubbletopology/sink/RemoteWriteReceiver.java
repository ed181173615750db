package io.hubbletopology.sink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.xerial.snappy.Snappy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.hubbletopology.prometheus.Label;
import io.hubbletopology.prometheus.TimeSeries;
import io.hubbletopology.prometheus.WriteRequest;
import io.hubbletopology.sink.series.Sample;

/**
 * A remote write endpoint on loopback https, for what no TSDB of ours checks (Prometheus and VictoriaMetrics take
 * no bearer token and no tenant): it decodes each request (snappy, protobuf) into samples, keeps the headers that
 * matter, and answers 204 only to the expected {@code Authorization} (401 otherwise, nothing kept).
 */
final class RemoteWriteReceiver implements AutoCloseable {

    /** One request as received: its headers by lower-case name and the samples it held. */
    record Received(Map<String, String> headers, List<Sample> samples) {
    }

    private static final List<String> HEADERS = List.of("authorization", "x-scope-orgid", "content-type",
            "content-encoding", "x-prometheus-remote-write-version");

    private final HttpsServer server;
    private final String expectedAuthorization;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    RemoteWriteReceiver(LoopbackCertificate tls, String expectedAuthorization) throws IOException, GeneralSecurityException {
        this.expectedAuthorization = expectedAuthorization;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.presentingIt()));
        server.createContext("/api/v1/push", this::handle);
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/push";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Map<String, String> headers = new TreeMap<>();
            for (String name : HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            List<Sample> samples = new ArrayList<>();
            for (TimeSeries series : WriteRequest.parseFrom(Snappy.uncompress(body)).getTimeseriesList()) {
                Map<String, String> labels = new TreeMap<>();
                for (Label label : series.getLabelsList()) {
                    labels.put(label.getName(), label.getValue());
                }
                series.getSamplesList().forEach(s -> samples.add(new Sample(labels, s.getTimestamp(), s.getValue())));
            }
            received.add(new Received(headers, List.copyOf(samples)));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
