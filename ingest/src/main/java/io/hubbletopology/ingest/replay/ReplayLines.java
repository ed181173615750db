package io.hubbletopology.ingest.replay;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.observer.GetFlowsResponse;

/**
 * Parses one line of {@code hubble observe -o json} / {@code -o jsonpb} output or of a Hubble exporter file:
 * a {@code GetFlowsResponse} per line, or (older CLIs, some exporters) a bare {@code Flow} per line.
 * Fields we do not declare are skipped; enum names we do not know (a newer Cilium's drop reason) are
 * dropped from the line and the rest of it kept, because a flow with an unknown drop reason is still a flow.
 */
final class ReplayLines {

    private static final ProtoJsonReader READER = new ProtoJsonReader(GetFlowsResponse.getDescriptor());

    private ReplayLines() {
    }

    /** The response on the line, or null for a blank line. */
    static GetFlowsResponse parse(String line) throws MalformedLineException {
        if (line.isBlank()) {
            return null;
        }
        GetFlowsResponse response = READER.merge(line, GetFlowsResponse.newBuilder()).build();
        if (response.getResponseTypesCase() != GetFlowsResponse.ResponseTypesCase.RESPONSETYPES_NOT_SET) {
            return response;
        }
        // No flow, lost_events or node_status: a bare Flow per line, as older CLIs wrote it.
        Flow flow = READER.merge(line, Flow.newBuilder()).build();
        if (flow.equals(Flow.getDefaultInstance())) {
            throw new MalformedLineException("neither a GetFlowsResponse nor a Flow");
        }
        return GetFlowsResponse.newBuilder().setFlow(flow).setNodeName(flow.getNodeName()).setTime(flow.getTime()).build();
    }
}
