package io.hubbletopology.ingest.hubble;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.hubbletopology.hubble.flow.Verdict;

/**
 * How the agent reads Hubble.
 *
 * @param target          Relay or the local socket
 * @param verdicts        verdicts to keep (empty: all), sent to Hubble as a whitelist
 * @param excludedPods    pod prefixes to leave out ({@code kube-system/} leaves out a namespace), as source or destination
 * @param includeReplies  false asks Hubble for non-reply flows only, as hubble-ui does
 * @param maxBackoff      the cap of the reconnect delay
 */
public record HubbleSourceSettings(HubbleTarget target, List<Verdict> verdicts, List<String> excludedPods,
                                   boolean includeReplies, Duration maxBackoff) {

    public HubbleSourceSettings {
        Objects.requireNonNull(target, "target");
        verdicts = List.copyOf(verdicts);
        excludedPods = List.copyOf(excludedPods);
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    public static HubbleSourceSettings of(String address) {
        return new HubbleSourceSettings(HubbleTarget.parse(address), List.of(), List.of(), false, Duration.ofSeconds(30));
    }
}
