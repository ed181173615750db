package io.hubbletopology.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.hubbletopology.processor.ProcessorConfig;

/**
 * Counts the pipeline keeps itself, read from outside: how many flows the agent has published (the flows
 * topic's end offsets), how far the processor's committed offsets are behind them, and how many flows Hubble
 * reported lost before the agent read them.
 */
record PipelineGauges(Admin admin, String flowsTopic, int agentHealthPort) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    long published() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (TopicPartition tp : flowPartitions()) {
            latest.put(tp, OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
    }

    long lag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(ProcessorConfig.DEFAULT_APPLICATION_ID)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long committedSum = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(flowsTopic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
        return published() - committedSum;
    }

    private List<TopicPartition> flowPartitions() throws Exception {
        int count = admin.describeTopics(List.of(flowsTopic)).allTopicNames().get(10, TimeUnit.SECONDS).get(flowsTopic)
                .partitions().size();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            partitions.add(new TopicPartition(flowsTopic, p));
        }
        return partitions;
    }

    /** Flows Hubble reported lost before the agent read them, from the agent's Prometheus endpoint; 0 until it has any. */
    double lostAtHubble() {
        String name = "hubble_topology_ingest_lost_events_total";
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentHealthPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
