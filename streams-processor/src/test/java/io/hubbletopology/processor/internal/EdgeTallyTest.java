package io.hubbletopology.processor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.hubbletopology.processor.model.EdgeStats;

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

    @Test
    void refusesBytesOfAnotherFormatWithASerializationError() {
        var deserializer = EdgeTally.serde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {9, 0, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 0})).isInstanceOf(SerializationException.class);
    }
}
