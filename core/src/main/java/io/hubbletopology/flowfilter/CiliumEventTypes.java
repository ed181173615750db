package io.hubbletopology.flowfilter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.hubbletopology.hubble.flow.EventTypeFilter;

/**
 * Cilium's monitor event types and their subtypes (a flow's {@code event_type}), by the names
 * {@code hubble observe --type TYPE[:SUBTYPE]} takes, turned into the {@link EventTypeFilter} the CLI sends: a type
 * alone matches all its subtypes; with a subtype, {@code match_sub_type} is set and {@code sub_type} must equal it.
 * A trace's subtype is its observation point, an agent event's its notification; any subtype (a drop's is its drop
 * reason, {@code drop:133} for POLICY_DENIED) and any type may also be given as its number, as the CLI allows. The
 * numbers are Cilium's (pkg/monitor/api, bpf/lib/trace.h): one byte each on the datapath, hence 0..255.
 *
 * <pre>{@code
 * EventTypeFilter toEndpoint = CiliumEventTypes.filter("trace:to-endpoint");   // type 4, sub_type 0
 * EventTypeFilter denied = CiliumEventTypes.filter("drop:133");                // type 1, sub_type 133
 * }</pre>
 */
public final class CiliumEventTypes {

    public static final int DROP = 1;
    public static final int TRACE = 4;
    public static final int POLICY_VERDICT = 5;
    /** An L7 flow: Cilium's proxy access log. */
    public static final int ACCESS_LOG = 129;
    public static final int AGENT = 130;

    private static final int MAX = 255;

    private static final Map<String, Integer> TYPES = table("drop", DROP, "debug", 2, "capture", 3, "trace", TRACE,
            "policy-verdict", POLICY_VERDICT, "trace-sock", 7, "l7", ACCESS_LOG, "agent", AGENT);

    /** Where the datapath saw a traced packet, in the order of Cilium's trace observation point numbers. */
    private static final Map<String, Integer> TRACE_POINTS = table("to-endpoint", 0, "to-proxy", 1, "to-host", 2,
            "to-stack", 3, "to-overlay", 4, "from-endpoint", 5, "from-proxy", 6, "from-host", 7, "from-stack", 8,
            "from-overlay", 9, "from-network", 10, "to-network", 11, "from-crypto", 12, "to-crypto", 13);

    /** The agent's notifications, with the CLI's names for them (Cilium's own have spaces and capitals). */
    private static final Map<String, Integer> AGENT_NOTIFICATIONS = table("unspecified", 0, "message", 1, "agent-started", 2,
            "endpoint-regenerate-success", 3, "endpoint-regenerate-failure", 4, "policy-updated", 5, "policy-deleted", 6,
            "endpoint-created", 7, "endpoint-deleted", 8, "ipcache-upserted", 9, "ipcache-deleted", 10, "service-upserted", 11,
            "service-deleted", 12);

    private static final Map<Integer, Map<String, Integer>> SUBTYPES = Map.of(TRACE, TRACE_POINTS, AGENT, AGENT_NOTIFICATIONS);

    private CiliumEventTypes() {
    }

    /**
     * The filter for {@code TYPE} or {@code TYPE:SUBTYPE}; names are case-insensitive.
     *
     * @throws IllegalArgumentException naming what was not understood and what is accepted
     */
    public static EventTypeFilter filter(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int colon = v.indexOf(':');
        String typeText = colon < 0 ? v : v.substring(0, colon);
        Integer type = lookup(TYPES, typeText);
        if (type == null) {
            throw new IllegalArgumentException("'" + typeText + "' is not an event type: one of " + TYPES.keySet()
                    + " or a number 0.." + MAX + ", optionally followed by :SUBTYPE");
        }
        EventTypeFilter.Builder filter = EventTypeFilter.newBuilder().setType(type);
        if (colon < 0) {
            return filter.build();
        }
        String subtypeText = v.substring(colon + 1);
        Map<String, Integer> names = SUBTYPES.getOrDefault(type, Map.of());
        Integer subtype = lookup(names, subtypeText);
        if (subtype == null) {
            throw new IllegalArgumentException("'" + subtypeText + "' is not a subtype of " + typeText + ": "
                    + (names.isEmpty() ? "" : "one of " + names.keySet() + " or ") + "a number 0.." + MAX
                    + (type == DROP ? " (a drop's subtype is its drop reason, e.g. 133 for POLICY_DENIED)" : ""));
        }
        return filter.setMatchSubType(true).setSubType(subtype).build();
    }

    private static Integer lookup(Map<String, Integer> names, String text) {
        Integer named = names.get(text);
        if (named != null || !text.matches("\\d{1,3}")) {
            return named;
        }
        int n = Integer.parseInt(text);
        return n <= MAX ? n : null;
    }

    private static Map<String, Integer> table(Object... nameThenNumber) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenNumber.length; i += 2) {
            out.put((String) nameThenNumber[i], (Integer) nameThenNumber[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }
}
