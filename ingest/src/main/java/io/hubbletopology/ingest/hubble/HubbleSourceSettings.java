package io.hubbletopology.ingest.hubble;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.flow.Verdict;

/**
 * How the agent reads Hubble.
 *
 * @param target          Relay or the local socket
 * @param verdicts        verdicts to keep (empty: all), sent to Hubble as a whitelist
 * @param excludedPods    pod prefixes to leave out ({@code kube-system/} leaves out a namespace), as source or destination
 * @param includeReplies  false asks Hubble for non-reply flows only, as hubble-ui does
 * @param maxBackoff      the cap of the reconnect delay
 * @param tls             plaintext, TLS or mTLS
 * @param backfill        how many flows to ask for again after a reconnect from a server that refuses
 *                        {@code since} with {@code follow} (its ring: at most 65535)
 */
public record HubbleSourceSettings(HubbleTarget target, List<Verdict> verdicts, List<String> excludedPods,
                                   boolean includeReplies, Duration maxBackoff, HubbleTls tls, int backfill) {

    public static final int DEFAULT_BACKFILL = 65_535;

    public HubbleSourceSettings {
        Objects.requireNonNull(target, "target");
        verdicts = List.copyOf(verdicts);
        excludedPods = List.copyOf(excludedPods);
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(tls, "tls");
    }

    public static HubbleSourceSettings of(String address) {
        return new HubbleSourceSettings(HubbleTarget.parse(address), List.of(), List.of(), false, Duration.ofSeconds(30),
                HubbleTls.PLAINTEXT, DEFAULT_BACKFILL);
    }

    public HubbleSourceSettings withTls(HubbleTls newTls) {
        return new HubbleSourceSettings(target, verdicts, excludedPods, includeReplies, maxBackoff, newTls, backfill);
    }

    public HubbleSourceSettings withFilters(List<Verdict> keep, List<String> exclude, boolean replies) {
        return new HubbleSourceSettings(target, keep, exclude, replies, maxBackoff, tls, backfill);
    }

    public HubbleSourceSettings withMaxBackoff(Duration cap) {
        return new HubbleSourceSettings(target, verdicts, excludedPods, includeReplies, cap, tls, backfill);
    }

    /** The flows to keep, as Hubble's whitelist: the verdicts, and non-reply flows unless replies are included. */
    public List<FlowFilter> whitelist() {
        FlowFilter.Builder keep = FlowFilter.newBuilder().addAllVerdict(verdicts);
        if (!includeReplies) {
            keep.addReply(false);
        }
        FlowFilter filter = keep.build();
        return filter.equals(FlowFilter.getDefaultInstance()) ? List.of() : List.of(filter);
    }

    /** The flows to leave out, as Hubble's blacklist: from or to an excluded pod prefix. */
    public List<FlowFilter> blacklist() {
        if (excludedPods.isEmpty()) {
            return List.of();
        }
        return List.of(FlowFilter.newBuilder().addAllSourcePod(excludedPods).build(),
                FlowFilter.newBuilder().addAllDestinationPod(excludedPods).build());
    }
}
