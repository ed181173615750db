package io.hubbletopology.api.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.hubbletopology.api.ApiServer;
import io.hubbletopology.api.TimeRange;
import io.hubbletopology.processor.errors.BadParameterException;
import io.hubbletopology.processor.output.EdgeStats;
import io.hubbletopology.processor.output.Workload;
import io.hubbletopology.processor.query.Answer;
import io.hubbletopology.processor.query.ClusterAnswers;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/policies?namespace=shop&last=24h}: the CiliumNetworkPolicies the namespace's observed
 * traffic suggests, as YAML ({@link PolicyBuilder}, {@link PolicyYaml}). The edges and the workload inventory are
 * the whole cluster's ({@link ClusterAnswers}); when either answer lacks partitions, the YAML says so first, since
 * a policy built from part of the traffic would deny the rest.
 */
public final class PolicyRoute {

    public static final String PATH = "/api/v1/policies";
    static final String CONTENT_TYPE = "application/yaml";

    private final ClusterAnswers cluster;
    private final Clock clock;

    public PolicyRoute(ClusterAnswers cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        String namespace = ctx.queryParam("namespace");
        if (namespace == null || namespace.isBlank()) {
            throw new BadParameterException("namespace", "is required: the namespace whose workloads get policies");
        }
        TimeRange range = TimeRange.parse(ctx.queryParam("last"), ctx.queryParam("from"), ctx.queryParam("to"),
                ApiServer.DEFAULT_RANGE, clock);
        boolean l7 = bool("l7", ctx.queryParam("l7"));
        String workload = ctx.queryParam("workload");
        String asOf = clock.instant().toString();
        Answer<List<EdgeStats>> edges = cluster.topology(range.from(), range.to());
        Answer<List<Workload>> workloads = cluster.workloads();
        PolicySet built = PolicyBuilder.build(new PolicyBuilder.Question(namespace.trim(),
                workload == null || workload.isBlank() ? null : workload.trim(), range, l7), edges.value(), workloads.value());

        List<String> notes = new ArrayList<>();
        notes.add("hubble-topology: CiliumNetworkPolicies suggested for namespace " + namespace.trim() + " from the flows of "
                + range.from() + " to " + range.to() + " (as of " + asOf + "); review, then apply in audit mode first (docs/policy.md)");
        notes.addAll(partial("edges", edges));
        notes.addAll(partial("workloads", workloads));
        notes.addAll(built.notes());
        ctx.status(200).contentType(CONTENT_TYPE).result(PolicyYaml.write(new PolicySet(notes, built.policies())));
    }

    /** The PARTIAL lines: one per missing part, naming its partitions, the instance believed to hold them, and why. */
    static List<String> partial(String what, Answer<?> answer) {
        List<String> lines = new ArrayList<>();
        for (Answer.Missing m : answer.missing()) {
            lines.add("PARTIAL: the " + what + " of partitions " + m.partitions() + " are missing (instance " + m.instance() + ": "
                    + m.reason() + "); these policies would deny the traffic they hold");
        }
        return lines;
    }

    private static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadParameterException(name, "'" + value + "' is not true or false");
        };
    }
}
