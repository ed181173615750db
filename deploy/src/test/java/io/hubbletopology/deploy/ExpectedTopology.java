package io.hubbletopology.deploy;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.simulator.SyntheticCluster;
import io.hubbletopology.graph.EndpointNames;

/** What the topology must show for the first N flows of a simulated cluster, computed from the flows themselves. */
public final class ExpectedTopology {

    private ExpectedTopology() {
    }

    /** Flow counts per "src -> dst protocol/port" of the non-reply flows among the first n flows of the seed. */
    public static Map<String, Long> nonReplyEdgeCounts(long seed, int n) {
        SyntheticCluster cluster = new SyntheticCluster(seed);
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Flow flow = cluster.next(0);
            if (flow.getIsReply().getValue()) {
                continue;
            }
            var record = io.hubbletopology.ingest.hubble.FlowRecords.fromHubble(flow, "n");
            String key = EndpointNames.of(record.getSource()).id() + " -> " + EndpointNames.of(record.getDestination()).id()
                    + " " + record.getProtocol().name() + "/" + record.getDestinationPort();
            counts.merge(key, 1L, Long::sum);
        }
        return counts;
    }

    /** The same shape from a topology answer of the API. */
    public static Map<String, Long> edgeCounts(JsonNode topology) {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode link : topology.path("links")) {
            String key = link.path("src").asText() + " -> " + link.path("dst").asText() + " "
                    + link.path("protocol").asText() + "/" + link.path("port").asInt();
            counts.merge(key, link.path("flows").asLong(), Long::sum);
        }
        return counts;
    }
}
