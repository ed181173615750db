package io.hubbletopology.flowfilter;

import java.util.List;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowFilter;

/**
 * Hubble's filter semantics for the fields the simulated server honours: within one filter every field set
 * must match (AND), within one field any value may match (OR); a request keeps flows matching any whitelist
 * filter (all flows when there is none) and none of the blacklist filters.
 */
public final class FlowFilterMatcher {

    private FlowFilterMatcher() {
    }

    public static boolean keep(Flow flow, List<FlowFilter> whitelist, List<FlowFilter> blacklist) {
        boolean wanted = whitelist.isEmpty() || whitelist.stream().anyMatch(f -> matches(flow, f));
        return wanted && blacklist.stream().noneMatch(f -> matches(flow, f));
    }

    static boolean matches(Flow flow, FlowFilter f) {
        if (f.getVerdictCount() > 0 && !f.getVerdictList().contains(flow.getVerdict())) {
            return false;
        }
        if (f.getReplyCount() > 0 && !f.getReplyList().contains(isReply(flow))) {
            return false;
        }
        if (f.getSourcePodCount() > 0 && !prefixMatch(f.getSourcePodList(),
                flow.getSource().getNamespace() + "/" + flow.getSource().getPodName())) {
            return false;
        }
        if (f.getDestinationPodCount() > 0 && !prefixMatch(f.getDestinationPodList(),
                flow.getDestination().getNamespace() + "/" + flow.getDestination().getPodName())) {
            return false;
        }
        if (f.getNodeNameCount() > 0 && !f.getNodeNameList().contains(flow.getNodeName())) {
            return false;
        }
        if (f.getDropReasonDescCount() > 0 && !f.getDropReasonDescList().contains(flow.getDropReasonDesc())) {
            return false;
        }
        return true;
    }

    private static boolean isReply(Flow flow) {
        return flow.hasIsReply() ? flow.getIsReply().getValue() : flow.getReply();
    }

    private static boolean prefixMatch(List<String> prefixes, String namespacedPod) {
        // A pod without a namespace (world, host) never matches a pod filter.
        if (namespacedPod.startsWith("/")) {
            return false;
        }
        return prefixes.stream().anyMatch(namespacedPod::startsWith);
    }
}
