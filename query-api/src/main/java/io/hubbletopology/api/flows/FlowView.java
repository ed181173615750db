package io.hubbletopology.api.flows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.hubbletopology.hubble.flow.DropReason;
import io.hubbletopology.graph.EndpointNames;
import io.hubbletopology.graph.GraphNode;
import io.hubbletopology.records.EndpointRef;
import io.hubbletopology.records.FlowRecord;

/**
 * The lean JSON of one flow, as the flows API and the live tail send it:
 * <pre>
 * {"time":"2026-11-21T09:00:00.123Z","verdict":"DROPPED","drop_reason":"POLICY_DENIED",
 *  "source":{"id":"shop/deployment/frontend","workload":"deployment/frontend","namespace":"shop","pod":"frontend-7d..","ip":"10.0.0.11"},
 *  "destination":{...},"l4_protocol":"TCP","dest_port":5432,"node":"node-1","is_reply":false,
 *  "summary":"shop/frontend-7d.. -> data/postgres-0 TCP/5432 DROPPED (POLICY_DENIED)"}
 * </pre>
 */
public final class FlowView {

    private FlowView() {
    }

    public static Map<String, Object> of(FlowRecord f) {
        Map<String, Object> m = new LinkedHashMap<>();
        long nanos = f.getTimeUnixNanos();
        m.put("time", Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).toString());
        m.put("verdict", f.getVerdict().name());
        m.put("drop_reason", f.getDropReasonValue() == 0 ? null : dropReason(f.getDropReasonValue()));
        m.put("source", endpoint(f.getSource()));
        m.put("destination", endpoint(f.getDestination()));
        m.put("l4_protocol", f.getProtocol().name());
        m.put("dest_port", f.getDestinationPort());
        m.put("node", f.getNodeName());
        m.put("is_reply", f.hasIsReply() ? f.getIsReply() : null);
        m.put("summary", summary(f));
        return m;
    }

    private static final com.google.protobuf.util.JsonFormat.Printer HUBBLE_JSON =
            com.google.protobuf.util.JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * The flow as {@code hubble observe -o json} prints it: a GetFlowsResponse with proto field names, enum names,
     * 64-bit numbers as strings and RFC 3339 times, {@code node_name} and {@code time} beside the flow.
     */
    public static com.fasterxml.jackson.databind.JsonNode hubble(FlowRecord record) {
        io.hubbletopology.hubble.flow.Flow flow = io.hubbletopology.flowfilter.HubbleFlows.of(record);
        try {
            return JSON.readTree(HUBBLE_JSON.print(io.hubbletopology.hubble.observer.GetFlowsResponse.newBuilder()
                    .setFlow(flow).setNodeName(flow.getNodeName()).setTime(flow.getTime()).build()));
        } catch (com.google.protobuf.InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a flow that does not print as JSON", e);
        }
    }

    static String dropReason(int number) {
        DropReason reason = DropReason.forNumber(number);
        return reason == null ? String.valueOf(number) : reason.name();
    }

    private static Map<String, Object> endpoint(EndpointRef e) {
        GraphNode node = EndpointNames.of(e);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", node.id());
        m.put("workload", node.name());
        m.put("namespace", e.getNamespace());
        m.put("pod", e.getPod());
        m.put("ip", e.getIp());
        return m;
    }

    static String summary(FlowRecord f) {
        if (!f.getSummary().isEmpty()) {
            return f.getSummary();
        }
        String verdict = f.getVerdict().name();
        if (f.getDropReasonValue() != 0) {
            verdict += " (" + dropReason(f.getDropReasonValue()) + ")";
        }
        return who(f.getSource()) + " -> " + who(f.getDestination()) + " " + f.getProtocol().name() + "/"
                + f.getDestinationPort() + " " + verdict;
    }

    private static String who(EndpointRef e) {
        if (!e.getPod().isEmpty()) {
            return e.getNamespace() + "/" + e.getPod();
        }
        GraphNode node = EndpointNames.of(e);
        return node.id() + (e.getIp().isEmpty() ? "" : " (" + e.getIp() + ")");
    }
}
