package io.hubbletopology.api.policy;

import java.util.List;

/**
 * One suggested policy and what a reviewer must know about it, written as comments above it: the range it
 * came from, the flows each rule covers, and the edges it does not allow.
 */
public record PolicySuggestion(String workload, CiliumNetworkPolicy policy, List<String> notes) {

    public PolicySuggestion {
        notes = List.copyOf(notes);
    }
}
