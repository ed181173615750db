package io.hubbletopology.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** The policy command against an API on loopback that answers as /api/v1/policies does. */
@Timeout(30)
class PolicyCommandTest {

    private static final String STREAM = """
            # hubble-topology: CiliumNetworkPolicies suggested for namespace shop from the flows of A to B
            # PARTIAL: the edges of partitions [2] are missing (instance 10.0.0.2:8080: timed out); these policies would deny the traffic they hold
            ---
            # CiliumNetworkPolicy for shop/deployment/cart
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: suggested-deployment-cart
              namespace: shop
            spec:
              endpointSelector:
                matchLabels:
                  app: cart
              ingress:
              - fromEntities:
                - host
            ---
            # CiliumNetworkPolicy for shop/deployment/web
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: ../../etc/passwd
              namespace: shop
            spec:
              endpointSelector:
                matchLabels:
                  app: web
              egress:
              - toEntities:
                - world
            """;

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/policies", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(auth));
            boolean ok = "Bearer s3cret".equals(auth);
            byte[] body = (ok ? STREAM : "{\"error\":\"unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", ok ? "application/yaml" : "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void writesOneFilePerPolicyWithTheAnswersWarningsAndSendsTheTokenFromItsFile() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
        Path out = dir.resolve("policies");
        CommandRun run = CommandRun.of("policy", "--api", api(), "--namespace", "shop", "--since", "24h", "--token-file", token.toString(),
                "--output", out.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(asked).containsExactly("/api/v1/policies?namespace=shop&last=24h");
        assertThat(authorizations).containsExactly("Bearer s3cret");
        assertThat(run.stderr()).contains("policy: PARTIAL: the edges of partitions [2] are missing");
        try (var files = Files.list(out)) {
            // A name that is not a Kubernetes name never becomes a path.
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("policy-2.yaml", "suggested-deployment-cart.yaml");
        }
        String cart = Files.readString(out.resolve("suggested-deployment-cart.yaml"));
        assertThat(cart).startsWith("# hubble-topology: CiliumNetworkPolicies suggested for namespace shop")
                .contains("# PARTIAL: ").contains("---\n# CiliumNetworkPolicy for shop/deployment/cart\n").contains("app: cart")
                .doesNotContain("app: web");
    }

    @Test
    void aRefusedTokenIsExitCodeOneWithTheAnswer() {
        CommandRun run = CommandRun.of("policy", "--api", api(), "--namespace", "shop", "--token", "wrong");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("answered 401").contains("unauthorized");
    }

    @Test
    void aBadDurationIsAUsageError() {
        CommandRun run = CommandRun.of("policy", "--api", api(), "--namespace", "shop", "--since", "yesterday");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--since");
        assertThat(asked).isEmpty();
    }
}
