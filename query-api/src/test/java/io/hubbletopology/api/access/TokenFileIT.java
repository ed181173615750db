package io.hubbletopology.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.ApiSettings;
import io.hubbletopology.api.ResponseSchemas;
import io.hubbletopology.broker.SharedKafka;
import io.hubbletopology.processor.ProcessorConfig;
import io.hubbletopology.processor.TopologyProcessor;
import io.hubbletopology.topics.TopicNames;

/**
 * Tokens from a file laid out as the kubelet mounts a Secret (the file a symlink into {@code ..data}, itself a
 * symlink swapped on update): read at start, a rotation picked up within the poll interval, the old token
 * refused afterwards, and no token in any log line meanwhile.
 */
@Timeout(120)
class TokenFileIT {

    private static final String FIRST = "file-token-first-5d1c";
    private static final String SECOND = "file-token-second-77ab";
    private static final String THIRD = "file-token-third-0e42";
    private static final String ROTATED = "file-token-rotated-9c30";
    private static final String BAD = "bad-token-41f7";

    @TempDir
    Path stateDir;
    @TempDir
    Path secret;

    @Test
    void startsWithTheFilesTokensPicksUpARotationAndNeverLogsAToken() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.hubbletopology");
        Level oursBefore = ours.getLevel();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(event.getLoggerName() + " " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(event.getThrowableProxy())));
            }
        };
        capture.start();
        root.addAppender(capture);
        ours.setLevel(Level.DEBUG);
        TopicNames topics = TopicNames.prefixed("token-file-it.");
        ProcessorConfig config = ProcessorConfig.defaults(SharedKafka.bootstrapServers(), "token-file-it", stateDir, topics,
                Map.of("processor.commit_interval", "200ms", "processor.window.grace", "5m",
                        "processor.window.retention", "1h", "kafka.partitions", "2", "kafka.replication_factor", "1"));
        Path tokens = secret.resolve("tokens");
        mountSecret("..2026_12_01_a", "\n  " + FIRST + "  \n\n" + SECOND + " , " + THIRD + "\n");
        Files.createSymbolicLink(tokens, Path.of("..data", "tokens"));
        try (TopologyProcessor processor = new TopologyProcessor(config);
             ApiServer api = new ApiServer(new ApiSettings("127.0.0.1", 0, "both").withTokensFile(tokens), processor.queryService())) {
            processor.start();
            api.start();
            await().atMost(Duration.ofSeconds(60)).until(processor::running);

            for (String token : List.of(FIRST, SECOND, THIRD)) {
                assertThat(topology(api, "Bearer " + token)).as(token).isEqualTo(200);
            }
            assertThat(topology(api, "Bearer " + BAD)).isEqualTo(401);
            assertThat(RawRequest.get("/topology?token=" + BAD).send(api.port()).status()).isEqualTo(401);
            assertThat(RawRequest.get("/ws/topology?token=" + BAD).upgrade().send(api.port()).status()).isEqualTo(401);
            assertThat(RawRequest.get("/ws/topology?token=" + SECOND).upgrade().send(api.port()).status()).isEqualTo(101);

            // The kubelet's update: a new timestamped directory, then ..data swapped to it in one rename.
            mountSecret("..2026_12_01_b", ROTATED + "\n");
            long swapped = System.nanoTime();
            await().atMost(AcceptedTokens.POLL_INTERVAL.plusSeconds(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> topology(api, "Bearer " + ROTATED) == 200);
            assertThat(Duration.ofNanos(System.nanoTime() - swapped)).isLessThanOrEqualTo(AcceptedTokens.POLL_INTERVAL.plusSeconds(1));
            assertThat(topology(api, "Bearer " + FIRST)).as("the old token, once rotated out").isEqualTo(401);
            assertThat(RawRequest.get("/topology?token=" + SECOND).send(api.port()).status()).isEqualTo(401);
        } finally {
            root.detachAppender(capture);
            ours.setLevel(oursBefore);
        }
        assertThat(lines).as("the capture saw the file being read and a refusal")
                .anyMatch(l -> l.contains("API tokens file") && l.contains("3 tokens"))
                .anyMatch(l -> l.contains("API tokens file") && l.contains("1 tokens"))
                .anyMatch(l -> l.contains("Refused"));
        for (String token : List.of(FIRST, SECOND, THIRD, ROTATED, BAD)) {
            assertThat(lines).as("log lines holding " + token).noneMatch(l -> l.contains(token));
        }
    }

    /** Writes a Secret's version into its own directory and points {@code ..data} at it atomically. */
    private void mountSecret(String version, String content) throws Exception {
        Path dir = Files.createDirectory(secret.resolve(version));
        Files.writeString(dir.resolve("tokens"), content);
        Path next = Files.createSymbolicLink(secret.resolve("..data_tmp"), Path.of(version));
        Files.move(next, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The status of GET /topology with this Authorization header; the answer held to openapi.json's description. */
    private static int topology(ApiServer api, String authorization) throws Exception {
        RawRequest.Answer answer = RawRequest.get("/topology").with("Authorization", authorization).send(api.port());
        ResponseSchemas.assertDocumented("GET", "/topology", answer.status(), answer.body());
        return answer.status();
    }
}
