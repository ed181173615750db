package io.hubbletopology.api.policy;

import java.util.List;

/**
 * What {@code GET /api/v1/policies} answers: the suggested policies of a namespace, and the notes that concern
 * the whole answer (a partial answer, workloads no policy could select, L7 rules asked for and none written).
 */
public record PolicySet(List<String> notes, List<PolicySuggestion> policies) {

    public PolicySet {
        notes = List.copyOf(notes);
        policies = List.copyOf(policies);
    }
}
