package io.hubbletopology.flowfilter;

import java.util.List;

import io.hubbletopology.hubble.flow.Flow;
import io.hubbletopology.hubble.flow.FlowFilter;

/**
 * Hubble's filter semantics, the one engine behind GetFlows, the REST flow search, the WebSocket tail and the
 * simulated Hubble: a flow is kept when it matches any whitelist filter (every flow, when there is none) and
 * no blacklist filter; within one filter every field set must match; within one field any value may.
 *
 * <pre>{@code
 * FlowFilterMatcher m = FlowFilterMatcher.of(request.getWhitelistList(), request.getBlacklistList());
 * if (m.test(flow)) { ... }
 * }</pre>
 *
 * Compiling throws {@link InvalidFilterException} for a bad value or a field this server does not implement.
 */
public final class FlowFilterMatcher {

    public static final FlowFilterMatcher ALL = new FlowFilterMatcher(List.of(), List.of());

    private final List<CompiledFlowFilter> whitelist;
    private final List<CompiledFlowFilter> blacklist;

    private FlowFilterMatcher(List<CompiledFlowFilter> whitelist, List<CompiledFlowFilter> blacklist) {
        this.whitelist = whitelist;
        this.blacklist = blacklist;
    }

    public static FlowFilterMatcher of(List<FlowFilter> whitelist, List<FlowFilter> blacklist) {
        return new FlowFilterMatcher(whitelist.stream().map(CompiledFlowFilter::of).toList(),
                blacklist.stream().map(CompiledFlowFilter::of).toList());
    }

    public boolean test(Flow flow) {
        boolean wanted = whitelist.isEmpty() || whitelist.stream().anyMatch(f -> f.test(flow));
        return wanted && blacklist.stream().noneMatch(f -> f.test(flow));
    }

    /** True when nothing is filtered out: every flow passes. */
    public boolean all() {
        return whitelist.isEmpty() && blacklist.isEmpty();
    }

    /** One-off check; callers with many flows compile once with {@link #of}. */
    public static boolean keep(Flow flow, List<FlowFilter> whitelist, List<FlowFilter> blacklist) {
        return of(whitelist, blacklist).test(flow);
    }
}
