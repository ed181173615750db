package io.hubbletopology.deploy.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.hubbletopology.api.policy.PolicyRoute;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * Asks a running processor's API for the CiliumNetworkPolicies a namespace's traffic suggests and writes one file
 * per policy (or the whole stream to stdout). A client, not a role: any processor instance answers for the whole
 * cluster, so this needs only its address and, when the API wants one, a token. Its options override the keys of
 * {@link PolicyQuery}, which say their meaning and defaults once.
 *
 * <pre>
 * java -jar hubble-topology.jar policy --api http://127.0.0.1:8080 --namespace shop --since 24h --output policies/
 * </pre>
 */
@Command(name = "policy",
        description = "Write the CiliumNetworkPolicies suggested by a namespace's observed traffic, one file per policy "
                + "(GET /api/v1/policies of a running processor; docs/policy.md).")
public final class PolicyCommand extends SettingsCommand<PolicyQuery> {

    private static final String TOKEN = PolicyQuery.TOKEN.option().name();
    private static final String TOKEN_FILE = PolicyQuery.TOKEN_FILE.option().name();

    /** A client has no YAML file: its options, and the token's variable, are all there is. */
    public PolicyCommand() {
        super(PolicyQuery.keys(), PolicyQuery::from, ConfigFile.NONE);
    }

    @Override
    protected int run(PolicyQuery query) throws IOException, InterruptedException {
        if (spec.findOption(TOKEN).getValue() != null && spec.findOption(TOKEN_FILE).getValue() != null) {
            throw new ParameterException(spec.commandLine(), "give " + TOKEN + " or " + TOKEN_FILE + ", not both");
        }
        URI uri = URI.create(query.api() + PolicyRoute.PATH + "?namespace=" + enc(query.namespace()) + "&last=" + enc(query.since())
                + (query.workload() == null ? "" : "&workload=" + enc(query.workload())));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(query.timeout()).header("Accept", "application/yaml");
        String bearer = query.tokenFile() != null ? Files.readString(query.tokenFile(), StandardCharsets.UTF_8).trim() : query.token();
        if (bearer != null && !bearer.isEmpty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(query.timeout()).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            spec.commandLine().getErr().println("policy: cannot reach " + query.api() + ": " + e.getMessage());
            return 1;
        }
        if (response.statusCode() != 200) {
            spec.commandLine().getErr().println("policy: " + uri.getPath() + " answered " + response.statusCode() + ": " + response.body());
            return 1;
        }
        String yaml = response.body();
        PolicyFiles.preamble(yaml).lines().filter(l -> l.startsWith("# PARTIAL") || l.startsWith("# no "))
                .forEach(l -> spec.commandLine().getErr().println("policy: " + l.substring(2)));
        Path output = query.output();
        if (output == null) {
            spec.commandLine().getOut().print(yaml);
            return 0;
        }
        Map<String, String> files = PolicyFiles.split(yaml);
        for (Path written : PolicyFiles.write(files, output)) {
            spec.commandLine().getOut().println(written);
        }
        spec.commandLine().getOut().println(files.size() + " policies for namespace " + query.namespace() + " written to " + output);
        return 0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
