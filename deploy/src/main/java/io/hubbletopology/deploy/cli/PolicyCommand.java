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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.hubbletopology.api.TimeRange;
import io.hubbletopology.api.policy.PolicyRoute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Asks a running processor's API for the CiliumNetworkPolicies a namespace's traffic suggests and writes one file
 * per policy (or the whole stream to stdout). A client, not a role: any processor instance answers for the whole
 * cluster, so this needs only its address and, when the API wants one, a token.
 *
 * <pre>
 * java -jar hubble-topology.jar policy --api http://127.0.0.1:8080 --namespace shop --since 24h --output policies/
 * </pre>
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Write the CiliumNetworkPolicies suggested by a namespace's observed traffic, one file per policy "
                + "(GET /api/v1/policies of a running processor; docs/policy.md).")
public final class PolicyCommand implements Callable<Integer> {

    /** Where a token may come from without showing on the command line. */
    static final String TOKEN_ENV = "HUBBLE_TOPOLOGY_API_TOKEN";

    @Spec
    CommandSpec spec;

    @Option(names = "--api", defaultValue = "http://127.0.0.1:8080", description = "The processor's API. Default: ${DEFAULT-VALUE}.")
    String api;

    @Option(names = "--namespace", required = true, description = "The namespace whose workloads get policies.")
    String namespace;

    @Option(names = "--since", defaultValue = "24h", description = "How far back the observed flows go (5m, 2h, 1d). Default: ${DEFAULT-VALUE}.")
    String since;

    @Option(names = "--workload", description = "Only this workload (its id, kind/name or name).")
    String workload;

    @Option(names = "--output", description = "Directory to write one <policy name>.yaml per policy into; without it, the YAML goes to stdout.")
    Path output;

    @Option(names = "--token", description = "Bearer token for the API; default: the " + TOKEN_ENV + " environment variable.")
    String token;

    @Option(names = "--token-file", description = "File holding the bearer token (a mounted Secret), instead of --token.")
    Path tokenFile;

    @Option(names = "--timeout", defaultValue = "30s", description = "How long to wait for the answer. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Override
    public Integer call() throws Exception {
        Duration wait = duration("--timeout", timeout);
        duration("--since", since);
        URI uri = URI.create(api.replaceAll("/+$", "") + PolicyRoute.PATH + "?namespace=" + enc(namespace) + "&last=" + enc(since)
                + (workload == null ? "" : "&workload=" + enc(workload)));
        if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
            throw new ParameterException(spec.commandLine(), "--api must be an http:// or https:// URL, was " + api);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(wait).header("Accept", "application/yaml");
        String bearer = bearer();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(wait).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            spec.commandLine().getErr().println("policy: cannot reach " + api + ": " + e.getMessage());
            return 1;
        }
        if (response.statusCode() != 200) {
            spec.commandLine().getErr().println("policy: " + uri.getPath() + " answered " + response.statusCode() + ": " + response.body());
            return 1;
        }
        String yaml = response.body();
        PolicyFiles.preamble(yaml).lines().filter(l -> l.startsWith("# PARTIAL") || l.startsWith("# no "))
                .forEach(l -> spec.commandLine().getErr().println("policy: " + l.substring(2)));
        if (output == null) {
            spec.commandLine().getOut().print(yaml);
            return 0;
        }
        Map<String, String> files = PolicyFiles.split(yaml);
        for (Path written : PolicyFiles.write(files, output)) {
            spec.commandLine().getOut().println(written);
        }
        spec.commandLine().getOut().println(files.size() + " policies for namespace " + namespace + " written to " + output);
        return 0;
    }

    private String bearer() throws IOException {
        if (token != null && tokenFile != null) {
            throw new ParameterException(spec.commandLine(), "give --token or --token-file, not both");
        }
        if (tokenFile != null) {
            return Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        }
        String t = token != null ? token : System.getenv(TOKEN_ENV);
        return t == null || t.isBlank() ? null : t.trim();
    }

    private Duration duration(String option, String value) {
        try {
            return TimeRange.duration(option, value);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
