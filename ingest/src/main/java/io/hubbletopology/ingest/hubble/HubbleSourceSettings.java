package io.hubbletopology.ingest.hubble;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.hubbletopology.config.CommandLineOption;
import io.hubbletopology.config.ConfigKey;
import io.hubbletopology.flowfilter.CiliumEventTypes;
import io.hubbletopology.hubble.flow.EventTypeFilter;
import io.hubbletopology.hubble.flow.FlowFilter;
import io.hubbletopology.hubble.flow.Verdict;

/**
 * How the agent reads Hubble, with the {@code hubble.*} keys it is read from (the {@code hubble.tls.*} ones, which
 * make its {@link HubbleTls}, are {@code IngestConfig}'s): {@link #of} and the agent's settings share their defaults.
 *
 * @param target          Relay or the local socket
 * @param verdicts        verdicts to keep (empty: all), sent to Hubble as a whitelist
 * @param excludedPods    pod prefixes to leave out ({@code kube-system/} leaves out a namespace), as source or destination
 * @param includeReplies  false leaves out the replies of L3/L4 flows (half of all flows), as hubble-ui does, but keeps
 *                        L7 responses: Hubble marks them replies, and only they carry the HTTP status, the DNS
 *                        rcode and the latency
 * @param maxBackoff      the cap of the reconnect delay
 * @param tls             plaintext, TLS or mTLS
 * @param backfill        how many flows to ask for again after a reconnect from a server that refuses
 *                        {@code since} with {@code follow} (its ring: at most 65535)
 */
public record HubbleSourceSettings(HubbleTarget target, List<Verdict> verdicts, List<String> excludedPods,
                                   boolean includeReplies, Duration maxBackoff, HubbleTls tls, int backfill) {

    public static final ConfigKey<List<Verdict>> VERDICTS = new ConfigKey<>("hubble.verdicts", "VERDICT_WHITELIST", "",
            "Verdicts to keep, sent to Hubble as a filter (e.g. FORWARDED,DROPPED); empty keeps all.", HubbleSourceSettings::verdicts)
            .withOption(CommandLineOption.of("--verdict", "VERDICT").many());
    public static final ConfigKey<List<String>> EXCLUDE_PODS = ConfigKey.list("hubble.exclude_pods", "HUBBLE_EXCLUDE_PODS", "",
            "Pod prefixes to leave out as source or destination; 'kube-system/' leaves out a namespace.")
            .withOption(CommandLineOption.of("--exclude-pod", "PREFIX").many());
    public static final ConfigKey<Boolean> INCLUDE_REPLIES = ConfigKey.bool("hubble.include_replies", "HUBBLE_INCLUDE_REPLIES", "false",
            "Keep the replies of L3/L4 flows too (left out by default, as hubble-ui does). L7 responses, which carry the HTTP status, DNS rcode and latency of the request they answer, are kept either way.")
            .withOption(CommandLineOption.of("--include-replies"));
    public static final ConfigKey<Duration> MAX_BACKOFF = ConfigKey.positiveDuration("hubble.max_backoff", null, "30s",
            "The longest wait between reconnects to Hubble (exponential backoff with jitter, forever).")
            .withOption("--max-backoff", "DURATION");
    public static final ConfigKey<Integer> BACKFILL = ConfigKey.integer("hubble.backfill", null, "65535", 1, 65_535,
            "Flows to ask for again after a reconnect to a Hubble that refuses 'since' with 'follow'.");

    /** The default of {@link #BACKFILL}: Hubble's largest ring. */
    public static final int DEFAULT_BACKFILL = BACKFILL.defaultParsed();

    public HubbleSourceSettings {
        Objects.requireNonNull(target, "target");
        verdicts = List.copyOf(verdicts);
        excludedPods = List.copyOf(excludedPods);
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(tls, "tls");
    }

    /** Hubble at this address, the other settings at their keys' defaults, plaintext. */
    public static HubbleSourceSettings of(String address) {
        return new HubbleSourceSettings(HubbleTarget.parse(address), VERDICTS.defaultParsed(), EXCLUDE_PODS.defaultParsed(),
                INCLUDE_REPLIES.defaultParsed(), MAX_BACKOFF.defaultParsed(), HubbleTls.PLAINTEXT, DEFAULT_BACKFILL);
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

    /**
     * The flows to keep, as Hubble's whitelist (a flow passes if it matches any filter): the verdicts, and unless
     * replies are included, requests and L7 responses only. Leaving out every reply, as hubble-ui asks, would leave
     * every edge without HTTP status classes, DNS failures and latency, and the answers would say zero for them.
     */
    public List<FlowFilter> whitelist() {
        FlowFilter.Builder keep = FlowFilter.newBuilder().addAllVerdict(verdicts);
        if (!includeReplies) {
            return List.of(keep.clone().addReply(false).build(),
                    keep.clone().addReply(true).addEventType(EventTypeFilter.newBuilder().setType(CiliumEventTypes.ACCESS_LOG)).build());
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

    private static List<Verdict> verdicts(String text) {
        List<Verdict> keep = new ArrayList<>();
        for (String v : ConfigKey.parseList(text)) {
            keep.add(Arrays.stream(Verdict.values())
                    .filter(c -> c != Verdict.UNRECOGNIZED && c != Verdict.VERDICT_UNKNOWN && c.name().equalsIgnoreCase(v))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + v + "' is not a Hubble verdict "
                            + "(FORWARDED, DROPPED, ERROR, AUDIT, REDIRECTED, TRACED, TRANSLATED)")));
        }
        return List.copyOf(keep);
    }
}
