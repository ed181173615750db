package io.hubbletopology.api.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.hubbletopology.api.TimeRange;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.DefaultDeny;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.EgressRule;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.IngressRule;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.Metadata;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.Selector;
import io.hubbletopology.api.policy.CiliumNetworkPolicy.Spec;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.Workload;

/**
 * Suggests one CiliumNetworkPolicy per workload of a namespace from the edges it sent and received: every edge
 * that carried traffic is allowed (ingress at its destination, egress at its source, by the peer's labels,
 * entity or DNS name, on its port), and an edge that was only ever dropped is left out, so it stays denied.
 *
 * <pre>{@code
 * PolicySet set = PolicyBuilder.build(new PolicyBuilder.Question("shop", null, range), edges, workloads);
 * String yaml = PolicyYaml.write(set);
 * }</pre>
 */
public final class PolicyBuilder {

    /**
     * @param namespace the namespace whose workloads get policies
     * @param workload  only this workload (its id, {@code kind/name} or name), or null for all
     * @param range     the range the edges cover, for the comments
     * @param l7        whether to write HTTP rules (method and path) where the edges carried them
     */
    public record Question(String namespace, String workload, TimeRange range, boolean l7) {
        /** Without L7 rules. */
        public Question(String namespace, String workload, TimeRange range) {
            this(namespace, workload, range, false);
        }
    }

    /** The managed-by label every suggestion carries, so a reviewer can find (and delete) them all at once. */
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "hubble-topology");

    private PolicyBuilder() {
    }

    public static PolicySet build(Question question, List<EdgeStats> edges, List<Workload> workloads) {
        Map<String, Workload> inventory = new LinkedHashMap<>();
        for (Workload w : workloads) {
            inventory.put(w.id(), w);
        }
        Set<String> subjects = new TreeSet<>();
        for (EdgeStats e : edges) {
            if (question.namespace().equals(e.srcNamespace())) {
                subjects.add(e.src());
            }
            if (question.namespace().equals(e.dstNamespace())) {
                subjects.add(e.dst());
            }
        }
        List<String> notes = new ArrayList<>();
        List<PolicySuggestion> policies = new ArrayList<>();
        for (String id : subjects) {
            if (question.workload() != null && !names(id, question.workload())) {
                continue;
            }
            Workload workload = inventory.get(id);
            if (workload == null || SelectorLabels.of(workload).isEmpty()) {
                notes.add("no policy for " + id + ": " + (workload == null ? "it is not in the workload inventory, so its labels"
                        + " are not known" : "its pods carry no label a selector can use") + "; never selected by pod name");
                continue;
            }
            policies.add(policyFor(workload, question, edges, inventory));
        }
        if (question.l7() && policies.stream().noneMatch(p -> httpRules(p.policy()))) {
            notes.add("l7=true: no L7 rule suggested; no allowed edge of namespace " + question.namespace() + " carried the whole"
                    + " list of its HTTP requests' methods and paths, so an HTTP rule would be invented, not observed");
        }
        if (subjects.isEmpty()) {
            notes.add("no workload of namespace " + question.namespace() + " sent or received traffic in the range");
        } else if (question.workload() != null && policies.isEmpty() && notes.isEmpty()) {
            notes.add("no workload named " + question.workload() + " in namespace " + question.namespace()
                    + " sent or received traffic in the range");
        }
        return new PolicySet(notes, policies);
    }

    /** Whether a policy has an HTTP rule anywhere. */
    static boolean httpRules(CiliumNetworkPolicy policy) {
        return Stream.concat(policy.spec().ingress().stream().map(IngressRule::toPorts),
                        policy.spec().egress().stream().map(EgressRule::toPorts))
                .flatMap(List::stream)
                .anyMatch(r -> r.rules() != null && !r.rules().http().isEmpty());
    }

    /** Whether a node id is the workload a client named: the whole id, {@code kind/name}, or just the name. */
    static boolean names(String id, String wanted) {
        String w = wanted.trim();
        return !w.isEmpty() && (id.equals(w) || id.endsWith("/" + w));
    }

    private static PolicySuggestion policyFor(Workload workload, Question question, List<EdgeStats> edges,
                                              Map<String, Workload> inventory) {
        List<EdgeStats> in = new ArrayList<>();
        List<EdgeStats> out = new ArrayList<>();
        for (EdgeStats e : edges) {
            if (e.dst().equals(workload.id())) {
                in.add(e);
            }
            if (e.src().equals(workload.id())) {
                out.add(e);
            }
        }
        DirectionRules ingress = DirectionRules.of(in, e -> PolicyPeer.of(e.src(), inventory, workload.namespace(),
                workload.cluster(), false), EdgeStats::src, question.l7());
        DirectionRules egress = DirectionRules.of(out, e -> PolicyPeer.of(e.dst(), inventory, workload.namespace(),
                workload.cluster(), true), EdgeStats::dst, question.l7());

        List<String> notes = new ArrayList<>();
        notes.add("CiliumNetworkPolicy for " + workload.id() + ", suggested from the flows of " + question.range().from() + " to "
                + question.range().to() + " (" + ingress.flows() + " flows in, " + egress.flows() + " out)");
        List<IngressRule> ingressRules = ingress.ingressRules(notes);
        List<EgressRule> egressRules = egress.egressRules(notes);
        notes.addAll(ingress.notes("ingress"));
        notes.addAll(egress.notes("egress"));

        // A direction whose only edges were dropped is still enforced: a rule that allows nothing, and default deny
        // said outright, so the drops stay denied however the other policies of the namespace read.
        Boolean denyIn = null;
        Boolean denyOut = null;
        if (ingressRules.isEmpty() && ingress.droppedOnly()) {
            ingressRules = List.of(new IngressRule(List.of(), List.of(), List.of()));
            denyIn = true;
            notes.add("ingress: nothing to allow, only drops were seen; default deny keeps them denied");
        }
        if (egressRules.isEmpty() && egress.droppedOnly()) {
            egressRules = List.of(new EgressRule(List.of(), List.of(), List.of(), List.of(), List.of()));
            denyOut = true;
            notes.add("egress: nothing to allow, only drops were seen; default deny keeps them denied");
        }
        if (ingressRules.isEmpty()) {
            notes.add("ingress not enforced: no flow towards this workload that a rule could allow in the range");
        }
        if (egressRules.isEmpty()) {
            notes.add("egress not enforced: no flow from this workload that a rule could allow in the range");
        }
        Spec spec = new Spec("Suggested by hubble-topology from the flows of " + question.range().from() + " to "
                + question.range().to() + "; review before applying (docs/policy.md)",
                new Selector(SelectorLabels.of(workload)),
                denyIn == null && denyOut == null ? null : new DefaultDeny(denyIn, denyOut), ingressRules, egressRules);
        Metadata metadata = new Metadata(name(workload), workload.namespace(), LABELS);
        return new PolicySuggestion(workload.id(), CiliumNetworkPolicy.of(metadata, spec), notes);
    }

    /** A DNS-1123 name from the workload's kind and name: {@code suggested-deployment-cart}. */
    static String name(Workload workload) {
        String raw = ("suggested-" + workload.kind() + "-" + workload.name()).toLowerCase(Locale.ROOT);
        String name = raw.replaceAll("[^a-z0-9.-]+", "-").replaceAll("-{2,}", "-").replaceAll("^[-.]+|[-.]+$", "");
        return name.length() <= 253 ? name : name.substring(0, 253).replaceAll("[-.]+$", "");
    }
}
