package io.hubbletopology.deploy.bench;

import java.util.Map;

/** One step's figures. Rates in flows/s, latencies in ms, CPU in cores, heap in MB. */
record StepResult(int offered, double emitted, double published, double visible, long lag, long lostAtHubble,
                  ProbeLedger.Sample latency, Map<String, Double> cores, Map<String, Long> heapMb) {

    boolean keptUp() {
        return visible >= 0.95 * emitted && latency.unseen() <= latency.emitted() / 100;
    }
}
