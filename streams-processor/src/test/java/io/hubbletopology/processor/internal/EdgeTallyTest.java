package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.output.EdgeStats;

class EdgeTallyTest {

    @Test
    void survivesTheStoreRoundTripWithEveryFigure() {
        EdgeTally t = new EdgeTally();
        t.setNames("shop/deployment/web", "dns:api.example.com", "shop", "");
        t.protocol = 1;
        t.port = 443;
        t.flows = 5;
        t.firstSeenNanos = 1_000_000_123L;
        t.lastSeenNanos = 2_000_000_456L;
        t.tcpSyn = 2;
        t.tcpRst = 1;
        t.httpRequests = 3;
        t.dnsQueries = 4;
        t.dnsFailures = 1;
        t.latencyCount = 2;
        t.latencySumNs = 30;
        t.latencyMaxNs = 20;
        t.encrypted = true;
        t.verdicts.add(1);
        t.verdicts.add(1);
        t.verdicts.add(2);
        t.verdicts.add(99);
        t.dropReasons.add(133);
        t.addStatusClass(2);
        t.addStatusClass(5);
        t.addNode("node-b");
        t.addNode("node-a");
        t.addNode("node-b");

        var serde = EdgeTally.serde();
        EdgeTally back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", t));
        EdgeStats expected = EdgeFigures.stats(t);
        assertThat(EdgeFigures.stats(back)).isEqualTo(expected);
        assertThat(expected.verdicts()).containsEntry("FORWARDED", 2L).containsEntry("DROPPED", 1L).containsEntry("99", 1L);
        assertThat(expected.nodes()).containsExactly("node-a", "node-b");
        assertThat(expected.http().status()).containsOnlyKeys("2xx", "5xx");
        assertThat(expected.firstSeen().getNano()).isEqualTo(123);
    }

    /** A value as version 1 wrote it (before routes): web -> cart TCP/8080, 3 flows, 2 HTTP requests, one 2xx. */
    private static final String VERSION_1 =
            "010000003273686f702f6465706c6f796d656e742f7765620073686f702f6465706c6f796d656e742f636172740073686f70"
            + "0073686f700000000100001f900000000000000003000000003b9aca00000000007735940000000000000000010000000000"
            + "0000000000000000000002000000000000000000000000000000000000000000000001000000000000000500000000000000"
            + "050000010000000100000000000000030000000a000000000000000000000000000000000000000000000001000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "000100066e6f64652d61";

    @Test
    void readsAVersion1ValueWithEveryFigureAndNoRoute() {
        EdgeTally t = EdgeTally.serde().deserializer().deserialize("t", HexFormat.of().parseHex(VERSION_1));
        EdgeStats s = EdgeFigures.stats(t);
        assertThat(s.edgeKey()).isEqualTo("shop/deployment/web -> shop/deployment/cart TCP/8080");
        assertThat(s.flows()).isEqualTo(3);
        assertThat(s.forwarded()).isEqualTo(3);
        assertThat(s.tcp()).isEqualTo(new EdgeStats.Tcp(1, 0));
        assertThat(s.http().requests()).isEqualTo(2);
        assertThat(s.http().status()).containsExactlyEntriesOf(Map.of("2xx", 1L));
        assertThat(s.latency()).isEqualTo(new EdgeStats.Latency(1, 5, 5));
        assertThat(s.nodes()).containsExactly("node-a");
        assertThat(s.http().routes()).isEmpty();
        assertThat(s.http().routesOther()).isZero();
        assertThat(s.http().routesComplete()).as("2 requests, none with a known route").isFalse();
        // Written back, it is a version 2 value with the same figures.
        byte[] again = EdgeTally.serde().serializer().serialize("t", t);
        assertThat(again[0]).isEqualTo((byte) 2);
        assertThat(EdgeFigures.stats(EdgeTally.serde().deserializer().deserialize("t", again))).isEqualTo(s);
    }

    @Test
    void keepsHttpRoutesThroughTheStoreRoundTrip() {
        EdgeTally t = new EdgeTally();
        t.setNames("shop/deployment/web", "shop/deployment/cart", "shop", "shop");
        t.httpRequests = 4;
        t.addRoute("GET", "/api/cart");
        t.addRoute("GET", "/api/cart");
        t.addRoute("POST", "/api/cart/items");
        t.addRoute("GET", "/ünïcode path");

        var serde = EdgeTally.serde();
        EdgeTally back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", t));
        EdgeStats.Http http = EdgeFigures.stats(back).http();
        assertThat(http.routes()).containsExactly(new EdgeStats.Route("GET", "/api/cart", 2),
                new EdgeStats.Route("POST", "/api/cart/items", 1), new EdgeStats.Route("GET", "/ünïcode path", 1));
        assertThat(http.routesOther()).isZero();
        assertThat(http.routesComplete()).isTrue();
        assertThat(EdgeFigures.stats(back)).isEqualTo(EdgeFigures.stats(t));
    }

    @Test
    void keepsAtMost32RoutesAndCountsTheRestAndOverlongOnesAsOther() {
        EdgeTally t = new EdgeTally();
        for (int i = 0; i < 40; i++) {
            t.addRoute("GET", "/item/" + i);
            t.addRoute("GET", "/item/" + i);
        }
        t.addRoute("GET", "/" + "x".repeat(EdgeTally.MAX_ROUTE_BYTES));
        // A route already kept still counts once the bound is reached.
        t.addRoute("GET", "/item/0");
        t.httpRequests = 82;

        var serde = EdgeTally.serde();
        EdgeStats.Http http = EdgeFigures.stats(serde.deserializer().deserialize("t", serde.serializer().serialize("t", t))).http();
        assertThat(http.routes()).hasSize(EdgeStats.Http.MAX_ROUTES);
        assertThat(http.routes()).contains(new EdgeStats.Route("GET", "/item/0", 3));
        assertThat(http.routes()).noneMatch(r -> r.path().equals("/item/32"));
        assertThat(http.routesOther()).isEqualTo(8 * 2 + 1);
        assertThat(http.routes().stream().mapToLong(EdgeStats.Route::requests).sum() + http.routesOther()).isEqualTo(82);
        assertThat(http.routesComplete()).isFalse();
    }

    @Test
    void mergingSpansSumsRoutesAndKeepsThe32LargestWithTheRestAsOther() {
        List<EdgeStats.Route> a = new ArrayList<>();
        List<EdgeStats.Route> b = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            a.add(new EdgeStats.Route("GET", "/a/" + i, 10 + i));
            b.add(new EdgeStats.Route("GET", "/b/" + i, 1));
        }
        b.add(new EdgeStats.Route("GET", "/a/0", 100));
        long requestsA = a.stream().mapToLong(EdgeStats.Route::requests).sum();
        EdgeStats left = edge(new EdgeStats.Http(requestsA, Map.of(), a, 0));
        EdgeStats right = edge(new EdgeStats.Http(130, Map.of(), b, 0));

        EdgeStats.Http merged = left.merge(right).http();
        assertThat(merged.requests()).isEqualTo(requestsA + 130);
        assertThat(merged.routes()).hasSize(EdgeStats.Http.MAX_ROUTES);
        assertThat(merged.routes()).contains(new EdgeStats.Route("GET", "/a/0", 110));
        assertThat(merged.routes()).isSorted();
        // 30 routes of /a, and 2 of the 30 one-request /b routes (the first by path); 28 requests go to other.
        assertThat(merged.routesOther()).isEqualTo(28);
        assertThat(merged.routes().stream().mapToLong(EdgeStats.Route::requests).sum() + merged.routesOther())
                .isEqualTo(merged.requests());
        assertThat(right.merge(left).http()).isEqualTo(merged);
    }

    @Test
    void readsTheUrlsPathWithoutSchemeHostQueryOrFragment() {
        assertThat(EdgeFigures.path("http://cart.shop.svc:8080/api/cart?id=1#top")).isEqualTo("/api/cart");
        assertThat(EdgeFigures.path("/api/cart?id=1")).isEqualTo("/api/cart");
        assertThat(EdgeFigures.path("https://api.example.com")).isEqualTo("/");
        assertThat(EdgeFigures.path("/redirect?to=http://evil/x")).isEqualTo("/redirect");
        assertThat(EdgeFigures.path("")).isEmpty();
    }

    private static EdgeStats edge(EdgeStats.Http http) {
        return new EdgeStats("a", "b", "", "", "TCP", 80, 1, Map.of(), Map.of(), null, http, null, null, false, List.of(), null, null);
    }

    @Test
    void refusesBytesOfAnotherFormatWithASerializationError() {
        var deserializer = EdgeTally.serde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {9, 0, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 0})).isInstanceOf(SerializationException.class);
    }
}
