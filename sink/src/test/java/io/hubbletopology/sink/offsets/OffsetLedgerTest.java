package io.hubbletopology.sink.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {

    private static final TopicPartition P = new TopicPartition("edges", 0);

    @Test
    void commitsOnlyBelowTheOldestRecordTheTsdbDoesNotHave() {
        OffsetLedger ledger = new OffsetLedger();
        for (long offset = 0; offset < 5; offset++) {
            ledger.read(P, offset);
            ledger.hold(P, offset);
        }
        ledger.release(P, 0);
        ledger.release(P, 3);
        assertThat(ledger.committable()).isEqualTo(Map.of(P, new OffsetAndMetadata(1)));
        ledger.release(P, 1);
        ledger.release(P, 2);
        ledger.release(P, 4);
        assertThat(ledger.committable()).isEqualTo(Map.of(P, new OffsetAndMetadata(5)));
    }

    @Test
    void offersAnOffsetOnlyWhenItMoved() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.read(P, 7);
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
        ledger.committed(offsets);
        assertThat(ledger.committable()).isEmpty();
    }
}
