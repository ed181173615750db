package io.hubbletopology.ingest.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.CodedInputStream;

import net.jpountz.lz4.LZ4FrameOutputStream;

import io.hubbletopology.ingest.hubble.FlowRecords;
import io.hubbletopology.records.FlowRecord;
import io.hubbletopology.simulator.SyntheticCluster;

/**
 * What keeping the Hubble Flow in each FlowRecord ({@code hubble_flow}) costs, on the synthetic cluster's flows:
 * bytes per record with and without it, raw and lz4-compressed in producer-sized batches (the ingest's default
 * codec and batch size), and the processor's decode time per record (its serde aliases the bytes field instead of
 * copying it). A measurement, not a test: docs/topics.md gives the command and the figures.
 */
public final class RecordSizes {

    private static final int BATCH_BYTES = 128 * 1024;
    /** Read by no one: keeps the decoding loop from being optimised away. */
    static volatile long decoded;

    private RecordSizes() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        SyntheticCluster cluster = new SyntheticCluster(42);
        long t = System.currentTimeMillis() * 1_000_000L;
        List<byte[]> full = new ArrayList<>(n);
        List<byte[]> compact = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FlowRecord record = FlowRecords.fromHubble(cluster.next(t + i * 1_000L), "bench-node");
            full.add(record.toByteArray());
            compact.add(record.toBuilder().clearHubbleFlow().build().toByteArray());
        }
        System.out.printf("%d synthetic flows (seed 42)%n", n);
        System.out.printf("compact record: %d B raw, %d B lz4 per record%n", average(compact), compressedAverage(compact));
        System.out.printf("with hubble_flow: %d B raw, %d B lz4 per record%n", average(full), compressedAverage(full));
        // The best of ten rounds: the first ones time the JIT, and a shared machine adds noise, never speed.
        long bestCompact = Long.MAX_VALUE;
        long bestFull = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            bestCompact = Math.min(bestCompact, decodeNanos(compact));
            bestFull = Math.min(bestFull, decodeNanos(full));
        }
        System.out.printf("decode (aliasing, as the processor's serde), best of 10 rounds: compact %d ns, with hubble_flow %d ns per record%n",
                bestCompact, bestFull);
    }

    private static long average(List<byte[]> records) {
        long bytes = 0;
        for (byte[] r : records) {
            bytes += r.length;
        }
        return bytes / records.size();
    }

    /** lz4 over batches of up to 128 KiB, as the producer compresses a batch (framing overhead aside). */
    private static long compressedAverage(List<byte[]> records) throws IOException {
        long compressed = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out);
        int inBatch = 0;
        for (byte[] r : records) {
            lz4.write(r);
            inBatch += r.length;
            if (inBatch >= BATCH_BYTES) {
                lz4.close();
                compressed += out.size();
                out.reset();
                lz4 = new LZ4FrameOutputStream(out);
                inBatch = 0;
            }
        }
        lz4.close();
        compressed += out.size();
        return compressed / records.size();
    }

    private static long decodeNanos(List<byte[]> records) throws IOException {
        long sink = 0;
        long start = System.nanoTime();
        for (byte[] r : records) {
            CodedInputStream in = CodedInputStream.newInstance(r);
            in.enableAliasing(true);
            sink += FlowRecord.parseFrom(in).getDestinationPort();
        }
        long perRecord = (System.nanoTime() - start) / records.size();
        decoded = sink;
        return perRecord;
    }
}
