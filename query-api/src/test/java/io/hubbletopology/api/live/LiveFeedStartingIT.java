package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.ResponseSchemas;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.topics.TopicNames;

/**
 * A live client that connects while the processor is not running yet (the API starts first, or a restart): it is
 * told at once that its snapshot is partial and why, instead of getting nothing, and once the processor runs a new
 * client's snapshot is complete.
 */
@Timeout(120)
class LiveFeedStartingIT {

    @Test
    void aClientBeforeTheProcessorRunsIsToldItsSnapshotIsPartialAndWhy(@TempDir Path dir) throws Exception {
        TopicNames topics = TopicNames.prefixed("live-starting-it.");
        TopologyProcessor processor = new TopologyProcessor(FastCommits.onTwoPartitions("live-starting-it", dir, topics));
        try (ApiServer api = new ApiServer(new ApiSettings("127.0.0.1", 0, "both"), processor.queryService())) {
            api.start();
            String url = "ws://127.0.0.1:" + api.port() + "/ws/topology";
            WsClient early = WsClient.connect(url, null);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> early.countOfType("snapshot") == 1);
                JsonNode status = early.messages.stream().filter(m -> "snapshot".equals(m.path("type").asText())).findFirst().orElseThrow();
                assertThat(status.path("partial").asBoolean()).isTrue();
                assertThat(status.path("state").asText()).isEqualTo("partial");
                assertThat(status.path("edges").asInt()).isZero();
                assertThat(status.path("missing")).singleElement().satisfies(m ->
                        assertThat(m.path("reason").asText()).contains("not queryable"));
                ResponseSchemas.assertMessage("/ws/topology", status);
            } finally {
                early.close();
            }

            processor.start();
            await().atMost(Duration.ofSeconds(60)).until(processor::running);
            WsClient later = WsClient.connect(url, null);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> later.countOfType("snapshot") == 1);
                assertThat(later.messages).filteredOn(m -> "snapshot".equals(m.path("type").asText())).singleElement()
                        .satisfies(m -> assertThat(m.path("partial").asBoolean(true)).isFalse());
            } finally {
                later.close();
            }
        } finally {
            processor.close();
        }
    }
}
