package io.hubbletopology.ingest.hubble;

import com.google.protobuf.ByteString;

import io.hubbletopology.hubble.observer.GetFlowsResponse;

/**
 * One {@code GetFlows} response as it came off the wire: the parsed message, and the bytes of its {@code flow}
 * field exactly as Hubble encoded them (empty when the response carries no flow). The agent stores those bytes
 * as the flow's {@code hubble_flow} instead of encoding the parsed flow again: that cost about a fifth of the
 * agent's CPU per flow (BENCHMARKS.md, End to end, 2026-12-02), and gives back the same bytes only when Hubble
 * encodes as protobuf-java does.
 */
record ArrivedResponse(GetFlowsResponse response, ByteString flowAsSent) {
}
