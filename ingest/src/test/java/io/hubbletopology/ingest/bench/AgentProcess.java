package io.hubbletopology.ingest.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Map;

import com.sun.management.OperatingSystemMXBean;

import io.hubbletopology.config.KafkaSettings;
import io.hubbletopology.ingest.IngestAgent;
import io.hubbletopology.ingest.IngestConfig;
import io.hubbletopology.ingest.hubble.HubbleSourceSettings;

/**
 * The agent alone in a JVM, for {@link PublishBenchmark}: follows Hubble, publishes to Kafka, and prints its
 * heap after GC and CPU every 10 s. Arguments: bootstrap servers, Hubble address, seconds to run.
 */
public final class AgentProcess {

    private AgentProcess() {
    }

    public static void main(String[] args) {
        int seconds = Integer.parseInt(args[2]);
        IngestConfig config = IngestConfig.of(Map.of(KafkaSettings.BOOTSTRAP_SERVERS.name(), args[0],
                IngestConfig.HUBBLE_ADDR.name(), args[1], IngestConfig.MODE.name(), "both", IngestConfig.HEALTH_PORT.name(), "-1",
                HubbleSourceSettings.INCLUDE_REPLIES.name(), "true", IngestConfig.NODE_NAME.name(), "bench-node",
                KafkaSettings.PARTITIONS.name(), "6"));
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (IngestAgent agent = new IngestAgent(config)) {
            agent.start();
            // Warm up: connections, JIT.
            PublishBenchmark.sleep(Duration.ofSeconds(10));
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            double published0 = agent.metrics().flowsPublished().count();
            long maxHeapAfterGc = 0;
            for (int elapsed = 10; elapsed <= seconds - 10; elapsed += 10) {
                PublishBenchmark.sleep(Duration.ofSeconds(10));
                System.gc();
                long heap = memory.getHeapMemoryUsage().getUsed();
                maxHeapAfterGc = Math.max(maxHeapAfterGc, heap);
                double cpu = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0);
                double rate = (agent.metrics().flowsPublished().count() - published0) / ((System.nanoTime() - wall0) / 1e9);
                System.out.printf("agent t=%3ds published %,6.0f flows/s, heap after GC %5.1f MB (committed %5.1f MB, max %4.0f MB), "
                                + "CPU %.3f of one core (process, since warm-up)%n", elapsed + 10, rate, heap / 1e6,
                        memory.getHeapMemoryUsage().getCommitted() / 1e6, memory.getHeapMemoryUsage().getMax() / 1e6, cpu);
            }
            System.out.printf("agent summary: max heap after GC %.1f MB, CPU %.3f of one core, dropped %.0f%n", maxHeapAfterGc / 1e6,
                    (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - wall0), agent.metrics().dropped().count());
        }
        System.exit(0);
    }
}
