package io.hubbletopology.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.FastCommits;
import io.hubbletopology.api.RunningApi;
import io.hubbletopology.topics.TopicNames;

/**
 * Clients that abuse the live feed: an oversized frame gets its sender disconnected, and hundreds of
 * connects and disconnects leave no client behind and no heap growth, while a well-behaved client keeps
 * receiving every update throughout. (A client flooding the server with messages: LiveFeedIT.)
 */
class LiveFeedAbuseIT {

    private static final int CYCLES = 500;

    @TempDir
    Path stateDir;

    @Test
    @Timeout(180)
    void oversizedFramesAndConnectChurnLeaveTheServerUpBoundedAndServingOthers() throws Exception {
        TopicNames topics = TopicNames.prefixed("ws-abuse-it.");
        try (RunningApi run = RunningApi.start(FastCommits.onTwoPartitions("ws-abuse-it", stateDir, topics), new ApiSettings("127.0.0.1", 0, "both"))) {
            ApiServer api = run.api();
            String url = "ws://127.0.0.1:" + api.port() + "/ws/topology";
            WsClient observer = WsClient.connect(url, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.feed().clientCount() == 1);

            // A text frame beyond the server's 4 KiB limit: its sender is closed with 1009 (too big). Just beyond
            // it, so the whole frame is written before the server closes: a sender still writing when the server
            // drops the connection may see the reset before the close frame (-1 here), a race of the test's own.
            WsClient big = WsClient.connect(url, null);
            big.sendAsync("x".repeat(5 * 1024));
            assertThat(big.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);

            long heapBefore = usedHeapAfterGc();
            int published = 0;
            HttpClient churnClient = HttpClient.newHttpClient();
            for (int i = 0; i < CYCLES; i++) {
                WebSocket churn = churnClient.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() { })
                        .get(10, TimeUnit.SECONDS);
                if (i % 2 == 0) {
                    churn.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
                }
                // Every other client just goes away, as a crashed client or a cut network would.
                churn.abort();
                if (i % 25 == 0) {
                    api.feed().publish(new FeedUpdate("churn-" + i, FeedUpdate.Kind.EDGE, "{\"type\":\"edge\",\"src\":\"churn/a\",\"dst\":\"churn/b"
                            + i + "\",\"state\":\"forwarded\"}", Set.of("churn"), Set.of("forwarded"), "TCP", 1));
                    published++;
                    int expected = published;
                    await().atMost(Duration.ofSeconds(5)).until(() -> observer.countOfType("edge") >= expected);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> api.feed().clientCount() == 1);
            long heapAfter = usedHeapAfterGc();

            assertThat(observer.countOfType("edge")).as("the observer got every update during the churn").isEqualTo(published);
            assertThat(observer.closeCode).isNotDone();
            assertThat(heapAfter - heapBefore).as("heap growth after %d connects (bytes)", CYCLES).isLessThan(32L << 20);
            WsClient late = WsClient.connect(url, null);
            await().atMost(Duration.ofSeconds(5)).until(() -> api.feed().clientCount() == 2);
            late.close();
            observer.close();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // The smallest of a few collections: a collection that runs while something allocates reads high.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
